"""The README is where a newcomer starts: short, the demo and the test command first, one short
section per topic that sends the reader to its docs/ page, and what issue 16 asks to find there
(the label format with its example, the per-thread figures with their baselines). Was: 2,342
lines, every topic in full."""

from __future__ import annotations

import re
from pathlib import Path

from argmap.graph.store import Store
from typer.testing import CliRunner

from argmap.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# The sections that hold more than a pointer: the tour, and the figures issue 16 asks for.
FULL_SECTIONS = {"Quick tour", "How far to trust it: `argmap eval`"}


def sections() -> dict[str, str]:
    """The README's ``##`` sections, by title (code blocks do not start one)."""
    # Blank out code blocks, keeping every offset: a `# comment` there is no heading.
    prose = re.sub(
        r"^```.*?^```", lambda m: re.sub(r"[^\n]", " ", m.group(0)), README, flags=re.S | re.M
    )
    starts = [(m.start(), m.group(1)) for m in re.finditer(r"^## (.+)$", prose, flags=re.M)]
    ends = [s for s, _ in starts[1:]] + [len(README)]
    return {title: README[s:e] for (s, title), e in zip(starts, ends, strict=True)}


def test_the_readme_is_short() -> None:
    assert len(README.splitlines()) <= 450


def test_the_demo_and_the_test_command_come_first_as_ci_runs_them() -> None:
    commands = re.findall(r"^    (python3 -m venv .+)$", README, flags=re.M)[:2]
    assert commands[0].endswith("pip install . && argmap demo")
    assert commands[1].endswith("pip install -e '.[test]' && python -m pytest")
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert README.index(commands[1]) < README.index("## Quick tour")


def test_each_topic_is_a_short_section_linking_its_docs_page() -> None:
    topics = {t: s for t, s in sections().items() if t not in FULL_SECTIONS}
    assert len(topics) >= 11
    for title, text in topics.items():
        body = [line for line in text.splitlines()[1:] if line.strip()]
        assert len(body) <= 12, f"{title}: {len(body)} lines; the rest belongs in docs/"
        pages = re.findall(r"\]\((docs/[\w-]+\.md)\)", text)
        assert pages and all((ROOT / p).is_file() for p in pages), title


def test_the_label_format_and_issue_16s_figures_stay_in_the_readme() -> None:
    section = sections()["How far to trust it: `argmap eval`"]
    example = section.split("```\nposition,parent,is_spam,stance", 1)[1].split("```", 1)[0]
    assert len(example.strip().splitlines()) >= 6  # the header above, then one row a line
    for table in ("**Reply trees**", "**Spam**", "**Rebuttals and stance**"):
        assert table in section
    assert section.count("baseline") >= 3


def test_the_readme_s_label_example_is_read_by_argmap_eval(
    sample_env: Store, tmp_path: Path
) -> None:
    section = sections()["How far to trust it: `argmap eval`"]
    block = re.search(r"```\n(position,parent,is_spam,stance.*?)```", section, flags=re.S)
    assert block
    labels = tmp_path / "labels.csv"
    labels.write_text(block.group(1), encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(labels)])
    assert result.exit_code == 0, result.output
    assert "parents:" in result.output
