"""axe-core, the accessibility rule engine, for the tests that check argmap's pages in Chromium.

axe-core is a JavaScript file from npm. It is fetched once with the machine's own ``npm pack``
(pinned: a new release adds rules), unpacked into a cache outside the repository
(``$XDG_CACHE_HOME/argmap``, else ``~/.cache/argmap``) and read from there afterwards, offline.
Nothing of it is vendored. Without npm or the registry the tests skip and say which; with
``ARGMAP_REQUIRE_AXE=1`` (set by ``.ci/run``, which installs npm) they fail instead.
"""

from __future__ import annotations

import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from tools.cache import cache_root

AXE_VERSION = "4.14.1"
# What a careful team aims for: WCAG 2.1 A and AA, and axe's best practices (landmarks,
# heading order) that screen-reader users rely on.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice")


class AxeUnavailable(RuntimeError):
    """axe-core could not be fetched; the message says what is missing."""


def cache_dir() -> Path:
    """Where the unpacked axe-core lives between runs."""
    return cache_root() / f"axe-core-{AXE_VERSION}"


def axe_source() -> str:
    """The text of ``axe.min.js``, fetched with ``npm pack`` on first use."""
    target = cache_dir() / "axe.min.js"
    if target.is_file():
        return target.read_text(encoding="utf-8")
    npm = shutil.which("npm")
    if not npm:
        raise AxeUnavailable("no npm: install it (apt-get install npm) to fetch axe-core")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as tmp:
        try:
            done = subprocess.run(
                [npm, "pack", f"axe-core@{AXE_VERSION}", "--pack-destination", tmp],
                capture_output=True,
                text=True,
                timeout=300,
                cwd=tmp,
            )
        except subprocess.TimeoutExpired:
            raise AxeUnavailable("the npm registry did not answer within 300 s") from None
        packs = list(Path(tmp).glob("axe-core-*.tgz"))
        if done.returncode or not packs:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            raise AxeUnavailable(f"npm could not fetch axe-core@{AXE_VERSION}: {last}")
        with tarfile.open(packs[0]) as tar:
            member = tar.extractfile("package/axe.min.js")
            assert member is not None, "the axe-core package holds no axe.min.js"
            part = Path(tmp) / "axe.min.js"
            part.write_bytes(member.read())
        part.replace(target)  # whole or not at all: another run may read it meanwhile
    return target.read_text(encoding="utf-8")


def axe_violations(
    frame: Any, source: str, contrast_not_ours: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """axe's violations in a Playwright page or frame: rule id, impact, and the elements'
    selectors and failure summaries (``frame.evaluate`` is not bound by the page's CSP).

    ``contrast_not_ours``: CSS selectors of a framework's own elements (Streamlit's captions,
    say) whose colour contrast is the framework's to fix; only that rule is waived inside them.
    """
    frame.evaluate(source)
    return frame.evaluate(
        """async ([tags, theirs]) => {
          const r = await axe.run(document, {runOnly: {type: "tag", values: tags},
                                             iframes: false, elementRef: true});
          const waived = n => theirs.length > 0 && n.element.closest(theirs.join(", ")) !== null;
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.filter(n => v.id !== "color-contrast" || !waived(n))
                          .map(n => ({target: n.target.join(" "), summary: n.failureSummary}))}))
            .filter(v => v.nodes.length > 0);
        }""",
        [list(AXE_TAGS), list(contrast_not_ours)],
    )
