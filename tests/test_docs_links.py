"""Every relative link in the README and the docs/ pages leads somewhere: the file exists, and
an anchor names a heading of that file, by GitHub's rules (lowercase, spaces to -, punctuation
dropped, a repeated heading -1, -2, ...). Moving a section between pages must not leave a
reader on a dead link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^ *(```|~~~).*?^ *\1", flags=re.S | re.M)
INLINE_CODE = re.compile(r"(`+).+?\1", flags=re.S)
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def prose(text: str) -> str:
    """The text outside code blocks and inline code, where a link is a link."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading's text."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its words
    text = re.sub(r"[^\w\- ]", "", text.strip().lower())
    return text.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors of a Markdown file's headings, repeated ones numbered as GitHub numbers them."""
    seen: dict[str, int] = {}
    found = set()
    for m in re.finditer(r"^#{1,6} +(.+?) *#* *$", FENCE.sub("", text), flags=re.M):
        base = slug(m.group(1))
        n = seen.get(base, 0)
        seen[base] = n + 1
        found.add(base if n == 0 else f"{base}-{n}")
    return found


def broken_links(doc: Path, root: Path = ROOT) -> list[str]:
    """Each relative link of ``doc`` whose file or heading does not exist, with why (paths
    named from ``root``)."""
    broken = []
    for target in LINK.findall(prose(doc.read_text(encoding="utf-8"))):
        if re.match(r"[a-z][a-z+.-]*:", target):  # https:, mailto:: not ours to check here
            continue
        path, _, anchor = target.partition("#")
        dest = (doc.parent / path).resolve() if path else doc
        if not dest.exists():
            broken.append(f"{target}: no file {dest.relative_to(root)}")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest.read_text("utf-8")):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(root)}")
    return broken


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_leads_to_a_file_and_heading(doc: Path) -> None:
    assert broken_links(doc) == []


def test_the_docs_folder_has_an_index_linking_every_page() -> None:
    index = ROOT / "docs" / "README.md"
    linked = {t.partition("#")[0] for t in LINK.findall(prose(index.read_text("utf-8")))}
    pages = {p.name for p in DOCS if p.parent.name == "docs" and p != index}
    assert pages <= linked


def test_github_slugs() -> None:
    assert slug("How far to trust it: `argmap eval`") == "how-far-to-trust-it-argmap-eval"
    assert slug("Security: what holds, and why") == "security-what-holds-and-why"
    assert (
        slug("Dev set: threads nobody tuned for (`devset_eval.py`, about 4 s)")
        == "dev-set-threads-nobody-tuned-for-devset_evalpy-about-4-s"
    )
    assert anchors("# Spam\n```\n# not a heading\n```\n## Spam\n") == {"spam", "spam-1"}


def test_a_broken_link_or_anchor_is_found(tmp_path: Path) -> None:
    """The check above can fail: a missing file, a missing heading, a link into a moved section."""
    (tmp_path / "other.md").write_text("# Other page\n\n## Settings\n", encoding="utf-8")
    doc = tmp_path / "doc.md"
    doc.write_text(
        "# Top\n\n[ok](other.md#settings) [ok](#top) ![ok](other.md) "
        "[gone](missing.md) [moved](#settings) [wrong](other.md#setting)\n"
        "`[in code](nowhere.md)`\n```\n[in a block](nowhere.md)\n```\n",
        encoding="utf-8",
    )
    assert broken_links(doc, root=tmp_path) == [
        "missing.md: no file missing.md",
        "#settings: no heading #settings in doc.md",
        "other.md#setting: no heading #setting in other.md",
    ]


@pytest.mark.parametrize("page", [p for p in DOCS if p.parent.name == "docs"], ids=lambda p: p.name)
def test_each_page_opens_saying_what_it_holds_and_links_back_to_the_readme(page: Path) -> None:
    """Was: eleven pages, moved out of the README, began mid-topic (a code block, a table, a
    detail), with no way back to where a newcomer starts."""
    text = re.sub(r"<!--.*?-->", "", page.read_text(encoding="utf-8"), flags=re.S)
    body = text.split("\n", 1)[1]  # below the page's title
    opening = re.split(r"^(?:```|\||#)", body, maxsplit=1, flags=re.M)[0]
    assert len(opening.split()) >= 12, f"{page.name} starts with no sentence saying what it holds"
    assert "](../README.md" in opening, f"{page.name}'s opening does not link the README"


LINK_WITH_TEXT = re.compile(r"\[([^\[\]]+)\]\(([\w./-]+\.md)#([\w-]+)\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_link_to_a_page_s_top_is_named_for_the_page(doc: Path) -> None:
    """A link that names a topic lands on it, not on the top of a long page. Was: "Hidden
    candidates", "What reviewing parents buys", "Accessibility" and "On a big thread" led to the
    top of their pages, where nothing was headed so."""
    wrong = []
    for text, path, anchor in LINK_WITH_TEXT.findall(prose(doc.read_text(encoding="utf-8"))):
        dest = (doc.parent / path).resolve()
        title = re.search(r"^# +(.+)$", dest.read_text(encoding="utf-8"), flags=re.M)
        if title and anchor == slug(title.group(1)) and not anchor.startswith(slug(text)):
            wrong.append(f"[{text}]({path}#{anchor})")
    assert wrong == []
