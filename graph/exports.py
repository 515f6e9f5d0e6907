"""Every export format in one registry: name -> writer(store, selection, path).

``argmap export`` and the dashboard both go through :func:`export`, which writes to a
temporary file next to the target and renames it into place, so a failed export never leaves
half a file where a good one was.
"""

from __future__ import annotations

import json
import os
import secrets
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from argmap.graph.catalog import check_thread_ids
from argmap.graph.export_json import export_json
from argmap.graph.picture_selection import visual_defaults
from argmap.graph.picture_style import PictureOptions
from argmap.graph.store import Store
from argmap.graph.subgraph import Selection, select_subgraph

from argmap.core.errors import ArgmapError

# (store, selection, path); pictures also take options=, CSV spreadsheet_safe.
Writer = Callable[..., None]
VISUAL = ("png", "svg", "pdf", "html")


class ExportError(ArgmapError):
    """An export could not be written (unknown format, bad output path)."""


@dataclass(frozen=True)
class ExportFormat:
    name: str
    writer: Writer
    extension: str
    binary: bool
    description: str
    mime: str


# A picture past this many claims is unreadable, and drawing 100,000 ran out of memory after 95 s.
MAX_PICTURE_NODES = 1000


def _image(fmt: str) -> Writer:
    def write(
        store: Store, selection: Selection, path: Path, options: PictureOptions | None = None
    ) -> None:
        from argmap.graph.export_image import export_image  # matplotlib only when drawing

        if selection.max_nodes is not None and selection.max_nodes > MAX_PICTURE_NODES:
            raise ExportError(
                f"--max-nodes {selection.max_nodes}: a {fmt} picture holds at most "
                f"{MAX_PICTURE_NODES} claims; narrow it (--claim, --hops, filters) or export "
                "html or graphml for the whole graph"
            )

        export_image(store, selection, path, fmt, options)

    return write


def format_defaults(fmt: str, selection: Selection) -> Selection:
    """``selection`` with what format ``fmt`` leaves out unless told: pictures and pages drop
    guessed relations; data formats keep everything."""
    if get_format(fmt).name in VISUAL:
        return visual_defaults(selection, selection.max_nodes or 10**9).model_copy(
            update={"max_nodes": selection.max_nodes}
        )
    return selection


def _html(store: Store, selection: Selection, path: Path) -> None:
    from argmap.graph.export_html import export_html

    export_html(store, selection, path)


def _graphml(store: Store, selection: Selection, path: Path) -> None:
    from argmap.graph.export_graphml import export_graphml

    export_graphml(store, selection, path)


def _csv(store: Store, selection: Selection, path: Path, spreadsheet_safe: bool = False) -> None:
    from argmap.graph.export_csv import export_csv

    export_csv(store, selection, path, spreadsheet_safe)


def _aif(store: Store, selection: Selection, path: Path) -> None:
    from argmap.graph.export_aif import export_aif

    export_aif(store, selection, path)


def is_whole_graph(selection: Selection) -> bool:
    """True when ``selection`` narrows nothing beyond threads (argmap JSON is then complete)."""
    ignore = {"max_nodes", "hops"}
    untouched = Selection(thread_ids=selection.thread_ids)
    return selection.claim is None and (
        selection.model_dump(exclude=ignore) == untouched.model_dump(exclude=ignore)
    )


def json_document(store: Store, selection: Selection) -> dict:
    """argmap JSON v1 of the selected threads; a narrower selection keeps only its claims, the
    relations, hidden guesses and rejections between them, and the threads they are in (with
    every post: the context claims point into); it reads back with ``argmap ingest``."""
    doc = export_json(store, selection.thread_ids)
    if is_whole_graph(selection):
        return doc
    sg = select_subgraph(store, selection, labels=False)
    keep = {n.id for n in sg.nodes}
    doc["claims"] = [c for c in doc["claims"] if c["id"] in keep]
    # Only the threads the kept claims are in: another thread's posts are no claim's context.
    thread_of = {p["id"]: p["thread_id"] for p in doc["posts"]}
    threads = {thread_of[c["post_id"]] for c in doc["claims"]}
    if threads:
        doc["threads"] = [t for t in doc["threads"] if t["id"] in threads]
        doc["posts"] = [p for p in doc["posts"] if p["thread_id"] in threads]
        if "reviews" in doc:
            doc["reviews"] = [r for r in doc["reviews"] if r.get("thread_id") in threads]
    # Hidden guesses and rejections between kept claims stay (they are what a re-ingest of the
    # file must not guess again); one with an end outside would make the file unreadable.
    for name in ("candidates", "rejected_relations"):
        if name in doc:
            doc[name] = [r for r in doc[name] if r["source"] in keep and r["target"] in keep]
    doc["relations"] = [
        r
        for r in doc["relations"]
        if r["source"] in keep
        and r["target"] in keep
        and r["type"] in selection.relation_types
        and (r["confidence"] is None or r["confidence"] >= (selection.min_confidence or 0.0))
    ]
    return doc


def _json(store: Store, selection: Selection, path: Path) -> None:
    text = json.dumps(json_document(store, selection), ensure_ascii=False, indent=1)
    Path(path).write_text(text + "\n", encoding="utf-8")


FORMATS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat(
            "png",
            _image("png"),
            ".png",
            True,
            "picture (1600 px wide by default, wider for a wide map)",
            "image/png",
        ),
        ExportFormat("svg", _image("svg"), ".svg", False, "scalable picture", "image/svg+xml"),
        ExportFormat("pdf", _image("pdf"), ".pdf", True, "picture for print", "application/pdf"),
        ExportFormat(
            "html", _html, ".html", False, "interactive page that works offline", "text/html"
        ),
        ExportFormat(
            "graphml",
            _graphml,
            ".graphml",
            False,
            "Gephi, yEd, networkx",
            "application/graphml+xml",
        ),
        ExportFormat(
            "csv",
            _csv,
            ".zip",
            True,
            "claims.csv, relations.csv, posts.csv (zip, or a directory)",
            "application/zip",
        ),
        ExportFormat(
            "aif", _aif, ".json", False, "AIF JSON (OVA, AIFdb, arguebuf)", "application/json"
        ),
        ExportFormat("json", _json, ".json", False, "argmap JSON v1", "application/json"),
    )
}


def get_format(name: str) -> ExportFormat:
    try:
        return FORMATS[name.lower()]
    except KeyError:
        raise ExportError(
            f"unknown export format {name!r}: use one of {', '.join(FORMATS)}"
        ) from None


# File name endings -> format, longest first (".aif.json" before ".json").
_SUFFIXES = (
    (".aif.json", "aif"),
    (".graphml", "graphml"),
    (".html", "html"),
    (".htm", "html"),
    (".json", "json"),
    (".png", "png"),
    (".svg", "svg"),
    (".pdf", "pdf"),
    (".zip", "csv"),
    (".csv", "csv"),
)


def check_spreadsheet_safe(fmt: str, spreadsheet_safe: bool) -> None:
    """``ExportError`` when spreadsheet-safe cells are asked of a format that has no cells."""
    if spreadsheet_safe and get_format(fmt).name != "csv":
        raise ExportError(
            f"--spreadsheet-safe is for csv only (it defuses cells a spreadsheet would run as "
            f"formulas); {get_format(fmt).name} has no cells: drop it, or export -f csv"
        )


def format_for_path(path: Path | str) -> str | None:
    """The format a file name's ending names (``x.svg`` -> svg), or None."""
    name = Path(path).name.lower()
    return next((fmt for suffix, fmt in _SUFFIXES if name.endswith(suffix)), None)


def choose_format(fmt: str | None, output: Path | str | None) -> str:
    """The format to write: ``fmt`` if given, else the one ``output``'s ending names, else JSON.

    ``ExportError`` when ``fmt`` and the ending disagree (``-f png -o x.svg`` would put PNG
    bytes in a .svg file) or when the ending names no format and ``fmt`` is absent.
    """
    named = format_for_path(output) if output is not None and str(output) != "-" else None
    if fmt is None:
        if output is None or str(output) == "-":
            return "json"
        if named is None:
            if Path(output).suffix:
                raise ExportError(
                    f"cannot tell the format from {Path(output).name!r}: give -f "
                    f"({', '.join(FORMATS)})"
                )
            return "json"
        return named
    spec = get_format(fmt)
    compatible = {spec.name} | ({"json"} if spec.name == "aif" else set())
    if output is not None and named is not None and named not in compatible:
        raise ExportError(
            f"-f {spec.name} but {Path(output).name!r} is a .{named} name: "
            f"drop -f to write {named}, or name the file *{spec.extension}"
        )
    return spec.name


def default_filename(fmt: str, selection: Selection, focus: str | None = None) -> str:
    """``argmap-<claim>-<N>hops.png`` for a claim, ``argmap-graph.png`` for the whole graph."""
    spec = get_format(fmt)
    suffix = ".aif.json" if spec.name == "aif" else spec.extension
    if focus or (selection.claim and selection.claim != "most-rebutted"):
        return f"argmap-{focus or selection.claim}-{selection.hops}hops{suffix}"
    if selection.claim:
        return f"argmap-most-rebutted-{selection.hops}hops{suffix}"
    return f"argmap-graph{suffix}"


def export(
    store: Store,
    fmt: str,
    selection: Selection,
    path: Path | str,
    picture: PictureOptions | None = None,
    spreadsheet_safe: bool = False,
) -> Path:
    """Write ``selection`` in format ``fmt`` to ``path``, atomically; returns the path.
    ``picture``: width, font size and background of a PNG, SVG or PDF. ``spreadsheet_safe``
    (CSV only): text cells a spreadsheet would run as formulas are defused, not verbatim."""
    spec = get_format(fmt)
    path = Path(path)
    check_spreadsheet_safe(spec.name, spreadsheet_safe)
    check_thread_ids(store, selection.thread_ids)  # a misspelt id would export an empty graph
    if spec.name == "csv" and path.suffix.lower() != ".zip":
        if path.exists() and not path.is_dir():
            raise ExportError(f"{path} is a file: CSV goes to a .zip file or a directory")
        try:
            spec.writer(store, selection, path, spreadsheet_safe)  # a directory of three files
        except OSError as e:
            raise ExportError(f"cannot write {path} ({e.strerror})") from None
        return path
    if path.is_dir():
        raise ExportError(f"{path} is a directory: give a file name for {spec.name}")
    try:
        # The README's exports/... examples: a missing folder is made, as `mkdir -p` would.
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        # "File exists" alone hid which file stood where a folder had to go.
        blocker = next((a for a in path.parents if a.exists() and not a.is_dir()), None)
        if blocker is not None:
            raise ExportError(
                f"cannot write {path}: {blocker} is a file, not a folder; write the export somewhere else"
            ) from None
        raise ExportError(f"cannot write {path}: cannot make its folder ({e.strerror})") from None
    # The name is chosen before the file is made, so a Ctrl-C or SIGTERM landing while it is
    # made (mkstemp had not yet returned it) still finds it to remove.
    tmp = path.parent / f".argmap-{secrets.token_hex(6)}{spec.extension}"
    try:
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except OSError as e:
            raise ExportError(f"cannot write {path} ({e.strerror})") from None
        if spec.name in ("png", "svg", "pdf"):
            spec.writer(store, selection, tmp, options=picture)
        elif spec.name == "csv":
            spec.writer(store, selection, tmp, spreadsheet_safe)
        else:
            spec.writer(store, selection, tmp)
        # Made 0600 (as mkstemp would); an export is an ordinary file (or keeps the mode it replaces).
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        os.replace(tmp, path)
    except BaseException as e:
        tmp.unlink(missing_ok=True)
        if isinstance(e, OSError):  # a full disk, a file in the way: one line, old file kept
            raise ExportError(f"cannot write {path} ({e.strerror or e})") from None
        raise
    return path


def export_bytes(
    store: Store,
    fmt: str,
    selection: Selection,
    picture: PictureOptions | None = None,
    spreadsheet_safe: bool = False,
) -> tuple[bytes, str]:
    """The export as bytes and a suggested file name (for a download button); CSV is the zip."""
    spec = get_format(fmt)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / f"export{spec.extension}"
        path = export(store, spec.name, selection, target, picture, spreadsheet_safe)
        return path.read_bytes(), default_filename(spec.name, selection)
