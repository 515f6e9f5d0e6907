"""Dung's abstract argumentation semantics over the rebuttal graph.

Every claim is an argument and every ``REBUTS`` edge an attack; supports are not attacks and are
ignored here. The grounded labelling is computed in Python by the standard fixpoint (linear in the
size of the graph); preferred extensions come from ``pygarg`` (a SAT-based solver), run only on
the part of the framework the grounded labelling leaves undecided: every preferred extension is
the grounded extension plus a preferred extension of that remainder (the modularization property
of preferred semantics), which keeps the SAT problem small on real threads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal, SupportsIndex

from argmap.graph.store import Store
from pydantic import BaseModel

from argmap.core.errors import ArgmapError

Label = Literal["IN", "OUT", "UNDEC"]
LABEL_ORDER: dict[str, int] = {"IN": 0, "OUT": 1, "UNDEC": 2}

# pygarg's encodings scan the attack list per argument: fine for hundreds of arguments.
MAX_PREFERRED_ARGUMENTS = 400
MAX_PREFERRED_EXTENSIONS = 64


class Framework(BaseModel):
    """An abstract argumentation framework: arguments and (attacker, attacked) pairs."""

    arguments: list[str]
    attacks: list[tuple[str, str]]


class PreferredResult(BaseModel):
    """Preferred extensions (sorted claim ids each), and whether enumeration stopped early."""

    extensions: list[list[str]]
    grounded: list[str]
    truncated: bool = False


def framework(store: Store, thread_ids: list[str] | None = None) -> Framework:
    """Every claim as an argument, every rebuttal as an attack (self-rebuttals included), but
    for the claims of posts a reviewer marked spam: out of the debate, as on the Graph page.
    With ``thread_ids``, the claims of those threads and the rebuttals among them."""
    from argmap.graph.chains import all_rebuttals

    rows = (
        store.run_read("MATCH (c:Claim) RETURN collect(c.id) AS ids")
        if thread_ids is None
        else store.run_read(
            "MATCH (p:Post)-[:MAKES]->(c:Claim) WHERE p.thread_id IN $tids "
            "RETURN collect(c.id) AS ids",
            {"tids": thread_ids},
        )
    )
    args = rows[0]["ids"] if rows else []
    # Spam posts are few: subtracting their claims costs less than walking every claim's post.
    spam = store.run_read(
        "MATCH (p:Post) WHERE p.is_spam = true "
        "MATCH (p)-[:MAKES]->(c:Claim) RETURN collect(c.id) AS ids"
    )
    out = set(spam[0]["ids"]) if spam else set()
    attacks = {(a, b) for a, b in all_rebuttals(store, thread_ids) if a not in out and b not in out}
    # Built without validation: both lists come straight from the store (100k+ items).
    return Framework.model_construct(
        arguments=sorted(a for a in args if a not in out), attacks=sorted(attacks)
    )


def grounded_labelling(
    arguments: Iterable[str], attacks: Iterable[tuple[str, str]]
) -> dict[str, Label]:
    """The grounded labelling: the least fixpoint of "IN iff every attacker is OUT".

    An argument is IN when all its attackers are OUT, OUT when some attacker is IN, and UNDEC
    when neither ever holds (odd cycles, self-attacks, and whatever hangs on them).
    """
    args = list(dict.fromkeys(arguments))
    targets: dict[str, list[str]] = {a: [] for a in args}
    live_attackers: dict[str, int] = {a: 0 for a in args}
    for a, b in set(attacks):
        targets.setdefault(a, []).append(b)
        targets.setdefault(b, [])
        live_attackers[b] = live_attackers.get(b, 0) + 1
        live_attackers.setdefault(a, 0)
    label: dict[str, Label] = {}
    queue = [a for a, n in live_attackers.items() if n == 0]
    for a in queue:
        label[a] = "IN"
    while queue:
        a = queue.pop()
        for b in targets[a]:
            if b in label:
                continue
            label[b] = "OUT"
            # An OUT argument no longer threatens its targets.
            for c in targets[b]:
                live_attackers[c] -= 1
                if live_attackers[c] == 0 and c not in label:
                    label[c] = "IN"
                    queue.append(c)
    return {a: label.get(a, "UNDEC") for a in live_attackers}


class _IndexedList(list[str]):
    """A list with O(1) membership and index: pygarg looks arguments up by ``in``/``index``."""

    def __init__(self, items: Sequence[str]) -> None:
        super().__init__(items)
        self._pos = {x: i for i, x in enumerate(items)}

    def __contains__(self, item: object) -> bool:
        return item in self._pos

    def index(self, item: str, *args: SupportsIndex) -> int:
        return self._pos[item]


def _pygarg_preferred(
    args: list[str], attacks: list[tuple[str, str]], limit: int
) -> tuple[list[list[str]], bool]:
    try:
        from pygarg.dung import encoding, solver
        from pysat.examples.lbx import LBX
        from pysat.formula import WCNF
    except ImportError:
        raise ArgmapError(
            "preferred extensions need pygarg and python-sat: pip install pygarg python-sat"
        ) from None
    if not args:
        return [[]], False
    # pygarg's preferred_extension_enumeration, with a cap on how many extensions are listed
    # (an even cycle per sub-debate doubles their number).
    arglist = _IndexedList(args)
    atts = [list(a) for a in attacks]
    _, clauses = solver.get_encoding(arglist, atts, "AD")
    wcnf = WCNF()
    for clause in clauses:
        wcnf.append(clause)
    for a in arglist:
        wcnf.append([encoding.sat_var_from_arg_name(a, arglist)], weight=1)
    lbx = LBX(wcnf, use_cld=True, solver_name="g4")
    found: list[list[str]] = []
    truncated = False
    try:
        for mcs in lbx.enumerate():
            if len(found) == limit:
                truncated = True
                break
            lbx.block(mcs)
            found.append(solver.argset_from_model(solver.get_mss_from_mcs(mcs, arglist), arglist))
    finally:
        lbx.delete()
    return found, truncated


def preferred_extensions(
    arguments: Iterable[str],
    attacks: Iterable[tuple[str, str]],
    max_arguments: int = MAX_PREFERRED_ARGUMENTS,
    max_extensions: int = MAX_PREFERRED_EXTENSIONS,
) -> PreferredResult:
    """Preferred extensions (maximal admissible sets), computed by pygarg.

    Only the arguments the grounded labelling leaves UNDEC go to the solver; a framework whose
    undecided part is larger than ``max_arguments`` is refused with a message saying so.
    """
    attacks = sorted(set(attacks))
    labels = grounded_labelling(arguments, attacks)
    grounded = sorted(a for a, lab in labels.items() if lab == "IN")
    undec = sorted(a for a, lab in labels.items() if lab == "UNDEC")
    if len(undec) > max_arguments:
        raise ArgmapError(
            f"preferred extensions: {len(undec)} claims are undecided by the grounded labelling, "
            f"more than the limit of {max_arguments}; raise it with --max-claims (the SAT "
            "search grows fast) or use the grounded labelling"
        )
    inside = set(undec)
    sub_attacks = [(a, b) for a, b in attacks if a in inside and b in inside]
    parts, truncated = _pygarg_preferred(undec, sub_attacks, max_extensions)
    extensions = sorted(sorted([*grounded, *part]) for part in parts)
    return PreferredResult(extensions=extensions, grounded=grounded, truncated=truncated)
