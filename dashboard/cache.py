"""The dashboard's cache: what a page reads is kept until the graph changes.

Every read goes through :func:`cached` (small results, copied out of Streamlit's data cache)
or :func:`grounded_labels` (one big read-only map, shared). Both are keyed on the store's
target, its graph (or Neo4j database), the graph's revision (``graph.revision``: every ingest
and review edit raises it) and the call's arguments, so a click that changes nothing in the
graph reads nothing from it, and any write is seen on the next run.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any, ParamSpec, TypeVar

import streamlit as st
from argmap.graph import summary_reads
from argmap.graph.revision import current_revision
from argmap.graph.store import Store

P = ParamSpec("P")
T = TypeVar("T")

# Distinct calls kept per process (each a page's table or picker): plenty for a few users.
MAX_ENTRIES = 1024


def store_key(store: Store) -> tuple[str, str]:
    """(target, graph or database): which graph a cached value was read from."""
    where = getattr(store, "graph_name", None) or getattr(store, "database", None) or ""
    return store.target, str(where)


@st.cache_data(show_spinner=False, max_entries=MAX_ENTRIES)
def _read(
    _fn: Callable[..., Any],
    name: str,
    key: tuple[str, str],
    revision: int,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    _store: Store,
) -> Any:
    # ``_fn`` and ``_store`` are not hashed (leading underscore): ``name`` and ``key`` say
    # what they are.
    return _fn(_store, *args, **kwargs)


def _name(fn: Callable[..., Any]) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def cached(fn: Callable[..., T]) -> Callable[..., T]:
    """``fn(store, *args, **kwargs)``, cached per (store, graph, revision, arguments).

    Arguments must be plain values Streamlit can hash (str, numbers, lists, dicts, None).
    """
    name = _name(fn)

    @functools.wraps(fn)
    def wrapper(store: Store, *args: Any, **kwargs: Any) -> T:
        return _read(fn, name, store_key(store), current_revision(store), args, kwargs, store)

    return wrapper


def cached_at(fn: Callable[..., T]) -> Callable[..., T]:
    """``cached(fn)`` for a caller that has read the revision already:
    ``wrapper(store, revision, *args, **kwargs)`` reads no revision of its own (same entries)."""
    name = _name(fn)

    @functools.wraps(fn)
    def wrapper(store: Store, revision: int, *args: Any, **kwargs: Any) -> T:
        return _read(fn, name, store_key(store), revision, args, kwargs, store)

    return wrapper


@st.cache_resource(show_spinner="Computing grounded labels…", max_entries=8)
def _labels(key: tuple[str, str], revision: int, _store: Store) -> Mapping[str, str]:
    return summary_reads.grounded_labels(_store)


def grounded_labels(store: Store) -> Mapping[str, str]:
    """Grounded label of every claim, once per revision of the graph: from the writer's summary
    while it is fresh, else computed (read-only either way)."""
    return _labels(store_key(store), current_revision(store), store)
