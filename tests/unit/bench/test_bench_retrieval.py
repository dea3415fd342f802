import json
from pathlib import Path

import pytest

from hippo.bench.datasets import load_dataset
from hippo.bench.retrieval import ExtractorSpec, run_retrieval
from hippo.errors import UserError
from hippo.interfaces.cli.main import main

CORPUS = [
    {"title": "Ada Lovelace", "text": "Ada Lovelace was an English mathematician who worked with Charles Babbage on the Analytical Engine."},
    {"title": "Charles Babbage", "text": "Charles Babbage was born in London. He designed the Difference Engine."},
    {"title": "London", "text": "London is the capital city of England and lies on the River Thames."},
    {"title": "Paris", "text": "Paris is the capital of France, on the Seine."},
    {"title": "Alan Turing", "text": "Alan Turing was a British computer scientist born in Maida Vale."},
    {"title": "Grace Hopper", "text": "Grace Hopper was an American computer scientist and admiral of the United States Navy."},
]
QUESTIONS = [
    {"id": "q1", "question": "In which city was the collaborator of Ada Lovelace born?", "answers": ["London"],
     "gold": [{"title": "Ada Lovelace", "text": CORPUS[0]["text"]},
              {"title": "Charles  Babbage", "text": "Charles Babbage was born in  London. He designed the Difference Engine."}],
     "gold_match": "passage"},
    {"id": "q2", "question": "What river flows through the capital of England?", "answers": ["Thames"],
     "gold": [{"title": "London", "text": None}, {"title": "Atlantis", "text": None}], "gold_match": "title"},
]


def _dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    folder.mkdir()
    (folder / "corpus.json").write_text(json.dumps(CORPUS), encoding="utf-8")
    (folder / "questions.json").write_text(json.dumps(QUESTIONS), encoding="utf-8")
    return folder


def test_unknown_system_and_extractor_are_user_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _dataset(tmp_path)
    assert main(["bench", "retrieval", "--data", str(folder), "--systems", "bm25,magic", "--out", str(tmp_path / "o")]) == 1
    assert "unknown system(s) magic" in capsys.readouterr().err
    assert main(["bench", "retrieval", "--data", str(folder), "--extractor", "openie:/nope.json"]) == 1
    assert "no such OpenIE file" in capsys.readouterr().err
    with pytest.raises(UserError):
        ExtractorSpec.parse("gpt")


@pytest.mark.slow
def test_runs_every_system_and_reuses_the_index(tmp_path: Path) -> None:
    folder = _dataset(tmp_path)
    dataset = load_dataset(folder)
    systems = ["bm25", "dense", "hybrid", "hipporag2", "hipporag1"]
    logs: list[str] = []
    results = run_retrieval(dataset, systems, ExtractorSpec.parse("spacy"), tmp_path / "out", tmp_path / "cache", logs.append)
    assert list(results["systems"]) == systems
    for row in results["systems"].values():
        assert row["n"] == 2 and 0.0 <= row["recall@5"] <= 100.0
        # six passages only: every gold found in the corpus is in the top 10 of every system
        assert row["recall@10"] == 100.0
    assert results["gold"]["unmatched"] == 1  # Atlantis
    assert results["gold"]["levels"] == {"exact": 2, "title": 1}
    assert results["indexing"]["cached"] is False
    rows = [json.loads(line) for line in (tmp_path / "out" / "per_question.jsonl").read_text().splitlines()]
    assert rows[1]["unmatched_gold"] == ["Atlantis"]
    assert "explanation" in rows[0]["systems"]["hipporag2"]

    again = run_retrieval(dataset, ["dense"], ExtractorSpec.parse("spacy"), tmp_path / "out2", tmp_path / "cache", logs.append)
    assert again["indexing"]["cached"] is True
    assert again["systems"]["dense"] == results["systems"]["dense"]
    assert any("cache hit" in line for line in logs)
