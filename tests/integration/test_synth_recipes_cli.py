"""Every new recipe from the CLI, offline, on the bundled sample corpus (indexed once for the
module with real spaCy OpenIE and embeddings): records with provenance, and a quality report
with a section per recipe."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hippo.interfaces.cli.main import main

SAMPLE = Path(__file__).resolve().parents[2] / "hippo" / "sample" / "corpus.jsonl"


def _offline(mp: pytest.MonkeyPatch, root: Path) -> None:
    for var in ("HIPPO_LLM_BASE_URL", "HIPPO_SYNTH_BASE_URL", "HIPPO_TRAINEE_BASE_URL", "OPENAI_API_KEY", "HIPPO_LLM_API_KEY"):
        mp.delenv(var, raising=False)
    mp.setenv("HIPPO_CACHE_DIR", str(root / "cache"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("synth-recipes")
    uri = f"sqlite:///{root / 'hippo.db'}"
    with pytest.MonkeyPatch.context() as mp:
        _offline(mp, root)
        assert main(["index", str(SAMPLE), "--store", uri]) == 0
    return root, uri


@pytest.fixture(autouse=True)
def offline_env(monkeypatch: pytest.MonkeyPatch, corpus: tuple[Path, str]) -> None:
    _offline(monkeypatch, corpus[0])


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("mode,section", [("entigraph", "entigraph"), ("selfqa", "selfqa"), ("longform", "longform"),
                                          ("wrap", "wrap"), ("treesynth", "treesynth"), ("deep_research", "deep_research")])
def test_offline_recipe_runs_and_reports(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str], mode: str, section: str) -> None:
    root, uri = corpus
    out = root / f"{mode}.jsonl"
    summary = _json(capsys, ["synth", "--mode", mode, "-o", str(out), "--overwrite", "--budget", "40",
                             "--filters", "all", "--store", uri, "--json"])
    assert summary["generator"] == "template" and summary["written"] > 0
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == summary["written"]
    assert all(r["meta"]["provenance"]["passage_ids"] for r in records)
    assert all(set(r["meta"]["scores"]) == {"format", "faithfulness", "quality"} for r in records)
    report = _json(capsys, ["synth", "report", str(out), "--store", uri, "--no-embeddings", "--json"])
    assert report["provenance_share"] == 1.0
    sec = report["recipes"][section]
    assert sec["records"] == len(records)
    if mode == "entigraph":
        assert 0 < sec["entity_pairs_covered"] <= sec["entity_pairs_possible"]
    if mode == "treesynth":
        assert sec["leaves"] > 1 and 0 < sec["leaf_coverage"] <= 1 and 0 <= sec["balance_evenness"] <= 1
        assert sec["records_per_leaf_max"] <= report["run"]["plan"]["quota"]
    if mode == "deep_research":
        assert sec["no_shortcut_share"] == 1.0 and set(sec["path_lengths"]) == {"3"}
        assert all(q not in ("",) and q.endswith("?") for q in (r["instruction"] for r in records))


def test_token_budget_caps_entigraph_corpus(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, uri = corpus
    out = root / "eg-tokens.jsonl"
    summary = _json(capsys, ["synth", "--mode", "entigraph", "-o", str(out), "--overwrite", "--token-budget", "200",
                             "--store", uri, "--json"])
    report = _json(capsys, ["synth", "report", str(out), "--store", uri, "--no-embeddings", "--json"])
    # the budget stops the run once reached: at most one record past it
    longest = max(len(json.loads(x)["text"].split()) for x in out.read_text().splitlines())
    assert summary["written"] >= 1 and report["recipes"]["entigraph"]["tokens"] <= 200 + 2 * longest


def test_multi_hop_templates_ask_natural_questions(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, uri = corpus
    out = root / "mh.jsonl"
    _json(capsys, ["synth", "--mode", "multi_hop", "--partition", "path2", "-o", str(out), "--overwrite", "--store", uri, "--json"])
    questions = [json.loads(x)["instruction"] for x in out.read_text().splitlines()]
    natural = [q for q in questions if not q.startswith(("Fill in the blank", "Which entity completes"))]
    assert len(natural) >= 0.6 * len(questions)
    assert not any(q.startswith("Fill in the blank: the entity that follows") for q in questions)


def test_text_modes_refuse_qa_formats(corpus: tuple[Path, str], capsys: pytest.CaptureFixture[str]) -> None:
    root, uri = corpus
    assert main(["synth", "--mode", "wrap", "--format", "alpaca", "-o", str(root / "x.jsonl"), "--store", uri]) == 1
    assert "--format text" in capsys.readouterr().err
