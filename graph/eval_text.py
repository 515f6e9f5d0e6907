"""``argmap eval``'s report as plain lines: each figure with its baseline, then the disagreements."""

from __future__ import annotations

from argmap.graph.evaluation import EvalReport, Score

from argmap.core.wording import plural


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _prf(s: Score) -> str:
    return (
        f"precision {_pct(s.precision)}, recall {_pct(s.recall)}, F1 {_pct(s.f1)} "
        f"({s.tp} right, {s.fp} wrong, {s.fn} missed)"
    )


def _named(report: EvalReport, keys: list[str]) -> str:
    """The first ten keys, each with the row naming it: ``c9 (labels.csv:4)``."""
    return ", ".join(
        f"{k} ({report.unmatched_rows[k]})" if k in report.unmatched_rows else k for k in keys[:10]
    )


def report_lines(report: EvalReport, limit: int = 20) -> list[str]:
    """The report as lines of text; at most ``limit`` disagreements (all with ``limit < 0``)."""
    p, s, st = report.parents, report.spam, report.stance
    titled = f": {report.title}" if report.title else ""  # not "thread t_x:  (3 comments ..."
    out = [
        # Spam is scored here, so it is counted in (the Overview counts it apart).
        f"thread {report.thread_id}{titled} ({plural(report.comments, 'comment')}, spam included; "
        f"{report.labels} labelled)",
    ]
    if report.unmatched:
        missing = _named(report, report.unmatched)
        out.append(
            f"  not in the thread, left out: {missing}"
            + (" ..." if len(report.unmatched) > 10 else "")
        )
    if report.unmatched_parents:
        missing = _named(report, report.unmatched_parents)
        out.append(
            f"  parents not in the thread, those rows' parents left out: {missing}"
            + (" ..." if len(report.unmatched_parents) > 10 else "")
        )
    if report.unmatched_targets:
        missing = _named(report, report.unmatched_targets)
        out.append(
            f"  relation targets not in the thread, left out: {missing}"
            + (" ..." if len(report.unmatched_targets) > 10 else "")
        )
    if p.labelled:
        out.append(
            f"parents: {_pct(p.accuracy)} right ({p.correct} of {p.labelled}); baselines: "
            f"reply-to-previous {_pct(p.reply_to_previous)}, reply-to-article {_pct(p.reply_to_article)}"
        )
    if p.calibration is not None:
        cal = p.calibration
        out.append(
            f"  rebuilt parents by stated confidence ({cal.scored}): Brier {cal.brier:.3f} "
            f"(lower is better; one constant confidence for all: {cal.brier_baseline:.3f})"
        )
        for b in cal.bands:
            out.append(
                f"    {100 * b.low:.0f}-{100 * b.high:.0f}%: {plural(b.comments, 'parent')}, stated "
                f"{_pct(b.mean_confidence)} on average, {_pct(b.right)} right"
            )
    if s.labelled:
        out.append(
            f"spam: {_prf(s.score)}; genuine comments flagged {s.score.fp} of {s.genuine} "
            f"({_pct(s.false_positive_rate)}); baseline nothing-is-spam catches 0 of {s.spam}"
        )
    if report.relation_labels:
        floor = f" (relations >= {report.min_confidence})" if report.min_confidence else ""
        if report.candidates:
            floor += " (hidden candidates counted where no relation decides)"
        labelled = plural(report.relation_labels, "comment")
        out.append(f"relations, comment level, {labelled} labelled{floor}:")
        out.append(f"  rebuts: {_prf(report.rebuts)}")
        out.append(
            f"  baseline every-comment-rebuts-its-parent: rebuts {_prf(report.rebuts_baseline)}"
        )
        out.append(f"  supports: {_prf(report.supports)}")
        out.append(
            "  baseline every-comment-supports-its-parent: supports "
            f"{_prf(report.supports_baseline)}"
        )
        if st.labelled:
            out.append(
                f"  stance towards the parent: {_pct(st.accuracy)} agree ({st.agree} of "
                f"{st.labelled}; {st.with_relation} related at all); baseline always-rebuts "
                f"{_pct(st.always_rebuts)}"
            )
    shown = report.disagreements if limit < 0 else report.disagreements[:limit]
    if shown:
        out.append(f"disagreements ({len(report.disagreements)}):")
        for d in shown:
            words = f' "{d.excerpt}"' if d.excerpt else ""
            out.append(
                f"  {d.comment} ({d.author}){words} {d.kind}: expected {d.expected}, "
                f"found {d.found}"
            )
        if len(shown) < len(report.disagreements):
            out.append(
                f"  ... {len(report.disagreements) - len(shown)} more (--limit -1 shows all, --json too)"
            )
    return out
