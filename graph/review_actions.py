"""Review actions: people correct what the machine got wrong, each decision a fact with provenance.

Every action reads the state of the items it changes (``graph.review_state``), computes the new
state, writes it and records a ``Review`` with both states (``graph.review_records``), so undo
and history work the same for all of them (``graph.review_apply``). ``expected`` is the item's
version when the reviewer loaded it: if someone saved since, the action raises ``ReviewConflict``
and changes nothing.

The actions live by what they change: ``graph.review_relations`` (accept, reject, flip,
retarget, add_relation), ``graph.review_posts`` (set_parent, mark_spam) and
``graph.review_claims`` (edit_claim, ground); this module is the one place callers import them.
"""

from __future__ import annotations

from argmap.graph.review_claims import edit_claim, ground
from argmap.graph.review_posts import mark_spam, set_parent
from argmap.graph.review_relations import OTHER, accept, add_relation, flip, reject, retarget

__all__ = [
    "OTHER",
    "accept",
    "add_relation",
    "edit_claim",
    "flip",
    "ground",
    "mark_spam",
    "reject",
    "retarget",
    "set_parent",
]
