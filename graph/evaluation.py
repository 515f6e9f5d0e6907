"""How far to trust a graph: its reply tree, spam marks and relations scored against hand labels.

The graph is an argmap JSON v1 object (``export_json`` of a store, or an exported file); the
labels come from ``eval_labels``. Every figure comes with the trivial baseline beside it, so a
reader sees what the rebuild adds over guessing:

- parents: the share of labelled comments whose parent in the graph is the labelled one (for one
  parent per comment, precision, recall and accuracy coincide); baselines "every comment answers
  the one before it" and "every comment answers the article"; for rebuilt parents, how often
  each band of stated confidence is right (``eval_confidence``);
- spam: precision, recall, F1 and the share of genuine comments flagged; baseline "nothing is
  spam" (no false flags, no spam caught);
- relations at comment level: comment A rebuts (supports) post B when some claim of A rebuts
  (supports) a claim of B (the surest relation decides a pair with both); precision, recall and
  F1 per type, over the comments whose stance or relations are labelled; baseline "every
  labelled comment rebuts its parent";
- stance: for comments labelled ``rebuts`` or ``supports`` towards their parent, the share whose
  relation to that parent in the graph has the same type (no relation counts as a miss);
  baseline "always rebuts".

With ``candidates`` the extractor's hidden low-confidence guesses (argmap JSON ``candidates``: a
reply's stance where its words show no evidence) count too, for the pairs no stored relation
decides; the report says so (``candidates: true``). Without it only stored relations count.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from argmap.graph.eval_confidence import ParentCalibration, calibration
from argmap.graph.eval_labels import Label, LabelError
from argmap.graph.eval_match import PostIndex, excerpt, labels_for_thread, match, thread_names
from pydantic import BaseModel


class Score(BaseModel):
    """Counts and precision / recall / F1 (``None`` where the denominator is 0)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    precision: float | None = None
    recall: float | None = None
    f1: float | None = None


class Disagreement(BaseModel):
    """One place where the graph and the labels differ."""

    comment: int  # its place in the thread
    post_id: str = ""
    author: str
    excerpt: str = ""  # its first words
    kind: str  # parent | spam | rebuts | supports
    expected: str
    found: str


class ParentFigures(BaseModel):
    labelled: int = 0
    correct: int = 0
    accuracy: float | None = None
    reply_to_previous: float | None = None
    reply_to_article: float | None = None
    # Rebuilt parents only: does their stated confidence match how often they are right?
    calibration: ParentCalibration | None = None


class SpamFigures(BaseModel):
    labelled: int = 0
    spam: int = 0
    genuine: int = 0
    score: Score = Score()
    false_positive_rate: float | None = None  # genuine comments flagged / genuine comments


class StanceFigures(BaseModel):
    labelled: int = 0
    agree: int = 0
    accuracy: float | None = None
    with_relation: int = 0  # labelled comments the graph relates to their parent at all
    always_rebuts: float | None = None


class EvalReport(BaseModel):
    """Everything ``argmap eval`` prints."""

    thread_id: str
    title: str
    comments: int
    labels: int
    unmatched: list[str] = []  # labelled comments the thread does not have
    unmatched_parents: list[str] = []  # labelled parents it does not have (those rows unscored)
    unmatched_targets: list[str] = []  # labelled relation targets it does not have (left out)
    # Each of those three lists' entries -> the row naming it first ("labels.csv:4"), to fix it.
    unmatched_rows: dict[str, str] = {}
    min_confidence: float = 0.0
    candidates: bool = False  # hidden candidate relations counted too
    parents: ParentFigures = ParentFigures()
    spam: SpamFigures = SpamFigures()
    relation_labels: int = 0  # comments whose stance or relations are labelled
    rebuts: Score = Score()
    supports: Score = Score()
    rebuts_baseline: Score = Score()  # every labelled comment rebuts its parent
    supports_baseline: Score = Score()  # every labelled comment supports its parent
    stance: StanceFigures = StanceFigures()
    disagreements: list[Disagreement] = []


def ratio(hits: int, total: int) -> float | None:
    """``hits / total`` rounded to 4 places, ``None`` for an empty total."""
    return round(hits / total, 4) if total else None


def score(tp: int, fp: int, fn: int) -> Score:
    """Precision, recall and F1 from counts."""
    p, r = ratio(tp, tp + fp), ratio(tp, tp + fn)
    f1 = round(2 * p * r / (p + r), 4) if p is not None and r is not None and p + r else None
    if f1 is None and p is not None and r is not None:
        f1 = 0.0
    return Score(tp=tp, fp=fp, fn=fn, precision=p, recall=r, f1=f1)


def pick_thread(graph: dict[str, Any], thread: str | None) -> dict[str, Any]:
    """The thread to score: ``thread`` (an id), or the only one in ``graph``."""
    threads = graph.get("threads") or []
    if thread is not None:
        for t in threads:
            if t["id"] == thread:
                return t
        raise LabelError(f"no thread {thread!r} in the graph; it holds {thread_names(threads)}")
    if len(threads) != 1:
        if not threads:
            raise LabelError("the graph holds no thread: ingest one first (argmap ingest FILE)")
        raise LabelError(
            f"the graph holds {len(threads)} threads: pick one with --thread ID ({thread_names(threads)})"
        )
    return threads[0]


def comment_relations(
    graph: dict[str, Any],
    post_ids: Iterable[str],
    min_confidence: float = 0.0,
    candidates: bool = False,
) -> dict[tuple[str, str], str]:
    """(source post, target post) -> ``rebuts`` / ``supports`` for the posts ``post_ids``: the
    type of the surest claim relation between the two posts; with ``candidates``, a hidden
    candidate decides a pair that no stored relation does."""
    posts = set(post_ids)
    owner = {c["id"]: c["post_id"] for c in graph.get("claims") or [] if c["post_id"] in posts}
    stored = _surest(graph.get("relations") or [], owner, min_confidence)
    if candidates:
        for pair, kind in _surest(graph.get("candidates") or [], owner, 0.0).items():
            stored.setdefault(pair, kind)
    return stored


def _surest(
    relations: list[dict[str, Any]], owner: dict[str, str], min_confidence: float
) -> dict[tuple[str, str], str]:
    best: dict[tuple[str, str], tuple[float, str]] = {}
    for r in relations:
        confidence = float(r.get("confidence") or 0.0)
        src, tgt = owner.get(r["source"]), owner.get(r["target"])
        if src is None or tgt is None or confidence < min_confidence:
            continue
        got = best.get((src, tgt))
        if got is None or confidence > got[0]:
            best[(src, tgt)] = (confidence, r["type"])
    return {pair: kind for pair, (_, kind) in best.items()}


def evaluate(
    graph: dict[str, Any],
    labels: list[Label],
    thread: str | None = None,
    min_confidence: float = 0.0,
    candidates: bool = False,
    store_threads: list[dict[str, Any]] | None = None,
) -> EvalReport:
    """Score one thread of ``graph`` (argmap JSON v1) against ``labels`` (with ``candidates``, the
    hidden candidate relations count for the pairs no stored relation decides). ``store_threads``
    (``id`` and ``title`` each), where ``graph`` holds only the thread asked for: the threads to
    name when the labels name none of its comments."""
    thread, labels = labels_for_thread(labels, graph.get("threads") or [], thread)
    t = pick_thread(graph, thread)
    posts = sorted(
        (p for p in graph.get("posts") or [] if p["thread_id"] == t["id"]),
        key=lambda p: p["position"],
    )
    index = PostIndex(posts, t["id"], t.get("title") or "")
    report = EvalReport(
        thread_id=t["id"],
        title=t.get("title") or "",
        comments=sum(p["kind"] == "comment" for p in posts),
        labels=len(labels),
        min_confidence=min_confidence,
        candidates=candidates,
    )
    matched, missing = match(labels, index)
    report.unmatched = [x.comment for x in missing]
    for x in missing:
        report.unmatched_rows.setdefault(x.comment, x.where)
    report.labels = len(matched) + len(report.unmatched)  # an article row is not a label
    if labels and not matched:
        _none_matched(
            len(labels), t, graph.get("threads") if store_threads is None else store_threads
        )
    _parents(report, matched, index)
    _spam(report, matched, index)
    found = comment_relations(graph, index.by_id, min_confidence, candidates)
    _relations(report, matched, index, found)
    return report


def _none_matched(labels: int, thread: dict[str, Any], held: list[dict[str, Any]] | None) -> None:
    """Refuse labels naming no comment of ``thread`` (ids of another thread's comments, most
    likely), naming the threads ``held`` that they may be for."""
    others = [x for x in held or [] if x["id"] != thread["id"]]
    where = (
        f"the graph also holds {thread_names(others)}: pick the one they label with --thread ID"
        if others
        else "it is the graph's only thread: are they for another store? (--db, or --export FILE)"
    )
    raise LabelError(
        f"none of the {labels} labelled comments is in thread {thread_names([thread])}; {where}; "
        "or check the positions and ids"
    )


def _disagree(
    report: EvalReport, post: dict[str, Any], kind: str, expected: str, found: str
) -> None:
    report.disagreements.append(
        Disagreement(
            comment=post["position"],
            post_id=post["id"],
            author=post["author"],
            excerpt=excerpt(post),
            kind=kind,
            expected=expected,
            found=found,
        )
    )


def _parents(
    report: EvalReport, matched: list[tuple[Label, dict[str, Any]]], index: PostIndex
) -> None:
    fig = report.parents
    previous = article = 0
    stated: list[tuple[float, bool]] = []
    for label, post in matched:
        gold = index.find(label.parent, label.parent_is_id)
        if gold is None:
            if label.parent is not None:
                report.unmatched_parents.append(label.parent)
                report.unmatched_rows.setdefault(label.parent, label.where)
            continue
        fig.labelled += 1
        right = post["parent_id"] == gold["id"]
        fig.correct += right
        if not right:
            _disagree(report, post, "parent", index.name(gold["id"]), index.name(post["parent_id"]))
        if post.get("parent_confidence") is not None:
            stated.append((float(post["parent_confidence"]), right))
        previous += gold["position"] == post["position"] - 1
        article += gold["position"] == 0
    fig.accuracy = ratio(fig.correct, fig.labelled)
    fig.reply_to_previous = ratio(previous, fig.labelled)
    fig.reply_to_article = ratio(article, fig.labelled)
    fig.calibration = calibration(stated)


def _spam(
    report: EvalReport, matched: list[tuple[Label, dict[str, Any]]], index: PostIndex
) -> None:
    fig = report.spam
    tp = fp = fn = 0
    for label, post in matched:
        if label.is_spam is None:
            continue
        fig.labelled += 1
        fig.spam += label.is_spam
        found = bool(post["is_spam"])
        tp += label.is_spam and found
        fp += found and not label.is_spam
        fn += label.is_spam and not found
        if found != label.is_spam:
            words = ("spam", "genuine")
            _disagree(report, post, "spam", words[not label.is_spam], words[not found])
    fig.genuine = fig.labelled - fig.spam
    fig.score = score(tp, fp, fn)
    fig.false_positive_rate = ratio(fp, fig.genuine)


def _towards(relations: dict[str, str], target: str, index: PostIndex) -> str:
    """``rebuts 26 (Ben D)``, or ``none`` where ``relations`` has nothing towards ``target``."""
    kind = relations.get(target)
    return f"{kind} {index.name(target)}" if kind else "none"


def _relations(
    report: EvalReport,
    matched: list[tuple[Label, dict[str, Any]]],
    index: PostIndex,
    found: dict[tuple[str, str], str],
) -> None:
    counts = {k: [0, 0, 0] for k in ("rebuts", "supports", "baseline", "supports_baseline")}
    stance = report.stance
    always = 0
    for label, post in matched:
        if label.stance is None and label.relations is None:
            continue
        parent = index.find(label.parent, label.parent_is_id) if label.parent is not None else None
        if label.parent is not None and parent is None and label.relations is None:
            continue  # a stance towards a parent the thread lacks (listed): towards nothing known
        report.relation_labels += 1
        # An unlabelled parent: the stance is towards the one the graph has.
        parent_id = parent["id"] if parent is not None else post["parent_id"]
        gold: dict[str, str] = {}
        if label.relations is not None:
            for kind, key in label.relations:
                target = index.find(key, label.comment_is_id)
                if target is not None:
                    gold[target["id"]] = kind
                else:
                    report.unmatched_targets.append(key)
                    report.unmatched_rows.setdefault(key, label.where)
        elif label.stance in ("rebuts", "supports") and parent_id is not None:
            gold[parent_id] = label.stance
        mine = {tgt: kind for (src, tgt), kind in found.items() if src == post["id"]}
        for kind in ("rebuts", "supports"):
            g = {tgt for tgt, k in gold.items() if k == kind}
            f = {tgt for tgt, k in mine.items() if k == kind}
            c = counts[kind]
            c[0], c[1], c[2] = c[0] + len(g & f), c[1] + len(f - g), c[2] + len(g - f)
            # Both sides name the post ("expected supports 26 (Ben D), found rebuts 26 (Ben D)");
            # a pair typed the other way is listed once, under the type found, though it counts
            # for both types.
            for tgt in sorted((f - g) | {t for t in g - f if t not in mine}):
                _disagree(
                    report, post, kind, _towards(gold, tgt, index), _towards(mine, tgt, index)
                )
        # The baselines: every labelled comment rebuts (supports) its parent.
        base = {parent_id} if parent_id is not None else set()
        for kind, name in (("rebuts", "baseline"), ("supports", "supports_baseline")):
            b = counts[name]
            g_kind = {tgt for tgt, k in gold.items() if k == kind}
            b[0], b[1], b[2] = (
                b[0] + len(g_kind & base),
                b[1] + len(base - g_kind),
                b[2] + len(g_kind - base),
            )
        if label.stance in ("rebuts", "supports") and parent_id is not None:
            stance.labelled += 1
            got = mine.get(parent_id)
            stance.with_relation += got is not None
            stance.agree += got == label.stance
            always += label.stance == "rebuts"
    report.rebuts = score(*counts["rebuts"])
    report.supports = score(*counts["supports"])
    report.rebuts_baseline = score(*counts["baseline"])
    report.supports_baseline = score(*counts["supports_baseline"])
    stance.accuracy = ratio(stance.agree, stance.labelled)
    stance.always_rebuts = ratio(always, stance.labelled)
