"""What the README spells as reference is what argmap has: every `argmap COMMAND --option` it
shows names a real command and option, its Settings table lists exactly the settings argmap
reads (with their defaults), and `.env.example` offers every setting and nothing else. A
newcomer copies these; a renamed option or a new setting must not leave them behind."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from pydantic import AliasChoices
from typer.main import get_command

from argmap.cli import app
from argmap.core.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# docker compose's own variables in .env.example: the host ports it publishes.
COMPOSE_ONLY = {"NEO4J_BOLT_PORT", "NEO4J_HTTP_PORT"}


def command_lines(text: str) -> list[str]:
    """The argmap command lines a reader can copy: lines of code blocks and indented examples,
    and inline code that starts with `argmap ` (optionally after VAR=value), comments cut off."""
    lines = [
        line
        # A fence may be indented (a block inside a list item); left in the prose, its
        # backticks paired the inline spans after it wrongly, and hid every one of them.
        for block in re.findall(r"^ *```[a-z]*\n(.*?)^ *```", text, flags=re.S | re.M)
        for line in block.splitlines()
    ]
    prose = re.sub(r"^ *```.*?^ *```", "", text, flags=re.S | re.M)
    prose = re.sub(r"``.+?``", "", prose, flags=re.S)  # a span quoting backticks: no command
    lines += [line for line in prose.splitlines() if line.startswith("    ")]
    for span in re.findall(r"`([^`]+)`", prose):
        span = " ".join(span.split())  # an inline span may wrap over lines
        if re.match(r"(?:[A-Z_]+=\S+ )*argmap ", span):
            lines.append(span)
    return [line.split("  #")[0] for line in lines]


def spelled_commands(text: str) -> list[tuple[str, list[str], list[str]]]:
    """(line, the words after `argmap`, the options among them) for each argmap invocation."""
    found = []
    for line in command_lines(text):
        # At the start of the line (after a `$ ` prompt and VAR=value), or run in a container.
        start = r"(?:^\s*(?:\$ )?(?:[A-Z_]+=\S+ )*|\bapp )argmap "
        for m in re.finditer(start + r"((?:[^'\"#]|'[^']*'|\"[^\"]*\")*)", line):
            words = re.findall(r"'[^']*'|\"[^\"]*\"|\S+", m.group(1))
            options = [
                opt
                for w in words
                if not w.startswith(("'", '"'))
                for opt in re.findall(r"(?<![\w-])(--?[a-zA-Z][\w-]*)", w)
            ]
            found.append((line.strip(), words, options))
    return found


def resolve(words: list[str]) -> tuple[list[str], list[Any]]:
    """Walk the command tree along the leading words (`accept|reject|flip` is each of them);
    the path taken and the commands reached."""
    commands: list[Any] = [get_command(app)]
    path: list[str] = []
    for word in words:
        names = word.strip("[]").split("|")
        if not all(hasattr(c, "commands") and n in c.commands for c in commands for n in names):
            break
        commands = [c.commands[n] for c in commands for n in names]
        path.append(word)
    return path, commands


def option_names(command: Any) -> set[str]:
    return {o for p in command.params for o in (*p.opts, *p.secondary_opts)} | {"--help"}


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_argmap_command_and_option_the_docs_spell_exists(doc: Path) -> None:
    wrong = []
    for line, words, options in spelled_commands(doc.read_text(encoding="utf-8")):
        path, commands = resolve(words)
        if not path and not (words and words[0].startswith("-")):
            wrong.append(f"no command `argmap {words[0] if words else ''}`: {line}")
            continue
        rest = words[len(path) :]
        if any(hasattr(c, "commands") for c in commands) and rest and rest[0][0].isalpha():
            # A group followed by a word that names none of its commands (`argmap query cypher`).
            wrong.append(f"no command `argmap {' '.join(path)} {rest[0]}`: {line}")
            continue
        for command in commands:
            missing = [o for o in options if o not in option_names(command)]
            wrong += [f"`argmap {' '.join(path)}` has no {o}: {line}" for o in missing]
    assert wrong == []


def test_the_command_check_sees_a_misspelt_option() -> None:
    """The check above reads wrapped inline code and `a|b` subcommands, and misses no option."""
    text = (
        "  ```\n  $ argmap cypher 'RETURN 1'\n  ```\n(`` `a`.`b` ``) "
        "Run `argmap review\naccept|flip A B --reviewr X` and\n\n    argmap query chains --lmit 3\n"
    )
    assert [(resolve(words)[0], options) for _, words, options in spelled_commands(text)] == [
        (["cypher"], []),
        (["query", "chains"], ["--lmit"]),
        (["review", "accept|flip"], ["--reviewr"]),
    ]


def setting_names() -> dict[str, Any]:
    """Every environment variable argmap's settings read, with its field's default (None for
    one computed per machine, such as the per-user directories)."""
    names: dict[str, Any] = {}
    for field in Settings.model_fields.values():
        alias = field.validation_alias
        choices = alias.choices if isinstance(alias, AliasChoices) else [alias]
        for name in choices:
            names[str(name)] = None if field.default_factory else field.default
    return names


def settings_table() -> dict[str, str]:
    """The Settings table (docs/settings.md, moved there from the README): each variable it
    names, with the default cell for it."""
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    section = text.split("# Settings\n", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) < 3 or not cells[0].startswith("`"):
            continue
        names = re.findall(r"`([A-Z0-9_]+)`", cells[0])
        defaults = cells[1].split(" / ") if " / " in cells[1] else [cells[1]] * len(names)
        rows.update(zip(names, defaults, strict=True))
    return rows


def test_the_settings_table_lists_exactly_the_settings_argmap_reads() -> None:
    assert sorted(settings_table()) == sorted(setting_names())


def test_the_settings_tables_literal_defaults_are_the_models() -> None:
    """A default cell that is one literal (`5`, `gpt-4o-mini`) is the model's default."""
    defaults = setting_names()
    checked = 0
    for name, cell in settings_table().items():
        literal = re.fullmatch(r"`([^`]+)`", cell)
        if literal and defaults[name] is not None:
            value = defaults[name]
            shown = f"{value:g}" if isinstance(value, float) else str(value)
            assert literal.group(1) == shown, (
                f"{name}: docs/settings.md says {cell}, the model {value!r}"
            )
            checked += 1
    assert checked >= 10  # the check reads the table (it has a dozen such cells)


def test_env_example_offers_every_setting_and_nothing_else() -> None:
    """Each setting appears in `.env.example` (commented out unless it must be set), and every
    variable there is one argmap reads or one docker compose publishes a port with."""
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    offered = set(re.findall(r"^#?([A-Z][A-Z0-9_]+)=", text, flags=re.M))
    assert sorted(offered - COMPOSE_ONLY) == sorted(setting_names())


def test_the_readme_lists_the_dashboards_pages_in_the_order_the_app_shows_them() -> None:
    """Was: "... Search & Cypher (a read-only console), Review and Export", while the app's
    navigation shows Export before Review."""
    app_source = (ROOT / "dashboard" / "app.py").read_text(encoding="utf-8")
    titles = re.findall(r"st\.Page\([^)]*?title=\"([^\"]+)\"", app_source)
    assert titles[:2] == ["Overview", "Graph"]  # the pattern still finds the app's pages
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    [line] = [x for x in readme.splitlines() if x.startswith("Overview, Graph,")]
    assert all(t in line for t in titles), (titles, line)
    assert sorted(titles, key=line.index) == titles, line
