"""How often each weak stance signal points the right way, beside the prior, as JSON.

The offline extractor types a reply that carries no explicit stance cue from weak evidence
(``argmap.ingest.extract.weak_stance``) and otherwise from the prior (most replies object). A
signal earns its say only if, where it fires, it is right more often than the prior would be:
a ``supports`` signal must beat the support base rate, a ``rebuts`` one the rebut base rate.

Measured on labelled reply->parent pairs: the dev set's tune debate (Kialo, read as a thread
with its tree given; never the report split) and the bundled sample's stance labels on their
labelled tree (``tests/data/sample_stance.csv``). ``verdict`` applies the rule the extractor's
``UNTRUSTED`` set follows: a family is trusted when it beats the prior where it fires, on one
corpus at least, with no contrary evidence on the other (``CONTRARY`` firings or more, right no
more often than the base rate); a family that never fires has no evidence and is not trusted. Each un-cued reply (no explicit
cue in its opening sentence) is checked with every signal family, the untrusted ones included:
its first three sentences against its parent's text, as the extractor does for a lead claim.

    python bench/stance_signals.py > /tmp/stance_signals.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

import devset  # noqa: E402
from argmap.graph.eval_labels import load_labels  # noqa: E402
from argmap.ingest.extract.disagreement import FAMILIES as DISCOURSE  # noqa: E402
from argmap.ingest.extract.relations import MIN_STANCE  # noqa: E402
from argmap.ingest.extract.sentences import split_sentences  # noqa: E402
from argmap.ingest.extract.similarity import Idf, cosine, vector  # noqa: E402
from argmap.ingest.extract.stance import find_cues, stance  # noqa: E402
from argmap.ingest.extract.weak_stance import (  # noqa: E402
    OPENING,
    REPLY_REBUT_PRIOR,
    UNTRUSTED,
    gather,
)
from argmap.ingest.sources import load_threads  # noqa: E402

from argmap.core.resources import sample_thread  # noqa: E402

GOLD = BENCH.parent / "tests" / "data" / "sample_stance.csv"
CONTRARY = 5  # firings at or under the base rate that count as evidence against a family


def _sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def measure(pairs: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Per signal family, over the un-cued (child, parent, label) pairs: how often it fires and
    how often its direction is the label's, beside that direction's base rate."""
    idf = Idf(text for pair in pairs for text in pair[:2])
    rebuts = sum(label == "rebuts" for *_, label in pairs)
    fired: Counter[str] = Counter()
    right: Counter[str] = Counter()
    direction: dict[str, str] = {}
    uncued = 0
    for child, parent, label in pairs:
        opening = _sentences(child)[:OPENING]
        if not opening or abs(stance(find_cues(opening[0]))) >= MIN_STANCE:
            continue  # an explicit cue decides this reply, not the weak evidence
        uncued += 1
        target = vector(parent, idf)
        overlap = cosine(vector(opening[0], idf), target)
        for e in gather(opening, opening[0], overlap, parent, target.keys(), untrusted=()):
            kind = "supports" if e.weight > 0 else "rebuts"
            direction[e.family] = kind
            fired[e.family] += 1
            right[e.family] += kind == label
    base = {"rebuts": rebuts / len(pairs), "supports": 1 - rebuts / len(pairs)}
    families = {
        name: {
            "direction": direction[name],
            "fires": fired[name],
            "right": right[name],
            "share_right": round(right[name] / fired[name], 3),
            "base_rate": round(base[direction[name]], 3),
            "better_than_prior": right[name] / fired[name] > base[direction[name]],
            "trusted": name not in UNTRUSTED,
        }
        for name in sorted(fired)
    }
    return {
        "pairs": len(pairs),
        "uncued": uncued,
        "rebut_share": round(base["rebuts"], 3),
        "families": families,
    }


def kialo_pairs(path: Path) -> list[tuple[str, str, str]]:
    tree = devset.load_tree(path)
    by_key = {n.key: n for n in tree.page_order()}
    return [
        (n.text, by_key[n.parent].text if n.parent else tree.body, n.stance)
        for n in tree.page_order()
        if n.stance and not n.text.startswith("->")  # a cross-link has no words of its own
    ]


def sample_pairs() -> list[tuple[str, str, str]]:
    [thread] = load_threads(sample_thread(), "wordpress-text")
    return [
        (thread.posts[int(x.comment)].text, thread.posts[int(x.parent)].text, x.stance)
        for x in load_labels(GOLD)
        if x.stance in ("rebuts", "supports") and x.parent is not None
    ]


def verdict(*corpora: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per family measured on any of ``corpora`` (``measure`` outputs) or a discourse family:
    whether it earns its say (``kept``) and the firings behind that."""
    names = sorted({f for c in corpora for f in c["families"]} | set(DISCOURSE))
    out = {}
    for name in names:
        seen = [c["families"][name] for c in corpora if name in c["families"]]
        better = any(f["better_than_prior"] for f in seen)
        contrary = any(f["fires"] >= CONTRARY and not f["better_than_prior"] for f in seen)
        out[name] = {
            "kept": better and not contrary,
            "fired": [f"{f['right']}/{f['fires']} vs {f['base_rate']}" for f in seen],
        }
    return out


def main() -> None:
    out: dict[str, Any] = {"prior_in_code": REPLY_REBUT_PRIOR, "untrusted": sorted(UNTRUSTED)}
    root = devset.devset_dir()
    if root is None:
        out["tune_debate"] = "skipped: no dev set (set ARGMAP_DEVSET or put it at ../shared/devset)"
    else:
        [name] = [n for n in devset.TUNE if n.startswith("kialo")]
        out["tune_debate"] = {"file": name, **measure(kialo_pairs(root / name))}
    out["sample"] = measure(sample_pairs())
    measured = [out[k] for k in ("tune_debate", "sample") if isinstance(out.get(k), dict)]
    out["verdict"] = verdict(*measured)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
