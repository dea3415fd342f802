import json
from pathlib import Path

import pytest

from hippo.bench.datasets import entry_doc_id, load_dataset
from hippo.errors import UserError


def _write(path: Path, data: object) -> None:
    path.write_text(json.dumps(data), encoding="utf-8")


def test_shared_format_folder(tmp_path: Path) -> None:
    _write(tmp_path / "corpus.json", [
        {"title": "A", "text": "Alpha text."},
        {"title": "B", "text": "Beta text."},
        {"title": "A", "text": "Alpha  text."},  # same passage, other spacing: one document
    ])
    _write(tmp_path / "questions.json", [
        {"id": "q1", "question": "What?", "answers": ["x"], "gold": [{"title": "A", "text": "Alpha text."}],
         "gold_match": "passage"},
        {"id": "q2", "question": "Which?", "answers": [], "gold": [{"title": "B", "text": None}],
         "gold_match": "title"},
    ])
    ds = load_dataset(tmp_path)
    assert ds.name == tmp_path.name and ds.source_format == "shared"
    assert [e.title for e in ds.corpus] == ["A", "B"]
    assert ds.corpus[0].doc_id == entry_doc_id("A", "Alpha   text.")
    assert [q.id for q in ds.questions] == ["q1", "q2"]
    assert ds.questions[1].gold_match == "title" and ds.questions[1].gold[0].text is None
    assert len(load_dataset(tmp_path, limit=1).questions) == 1
    assert ds.corpus_hash() == load_dataset(tmp_path).corpus_hash()


def test_separate_corpus_folder(tmp_path: Path) -> None:
    (tmp_path / "q").mkdir()
    (tmp_path / "c").mkdir()
    _write(tmp_path / "q" / "questions.json", [{"id": "1", "question": "?", "gold": []}])
    _write(tmp_path / "c" / "corpus.json", [{"title": "T", "text": "x"}])
    with pytest.raises(UserError, match="--corpus"):
        load_dataset(tmp_path / "q")
    assert len(load_dataset(tmp_path / "q", corpus=tmp_path / "c").corpus) == 1


def test_hipporag_musique_style(tmp_path: Path) -> None:
    _write(tmp_path / "musique_corpus.json", [{"title": "P1", "text": "one", "idx": 0},
                                             {"title": "P2", "text": "two", "idx": 1}])
    _write(tmp_path / "musique.json", [{
        "id": "2hop_1", "question": "Q?", "answer": "A", "answer_aliases": ["AA"],
        "paragraphs": [
            {"title": "P1", "paragraph_text": "one", "is_supporting": True},
            {"title": "P2", "paragraph_text": "two", "is_supporting": False},
        ],
    }])
    ds = load_dataset(tmp_path)
    assert ds.source_format == "hipporag" and ds.name == "musique"
    q = ds.questions[0]
    assert q.answers == ["A", "AA"]
    assert [(g.title, g.text) for g in q.gold] == [("P1", "one")]


def test_hipporag2_unflagged_paragraphs_are_gold(tmp_path: Path) -> None:
    # HippoRAG 2's PopQA file: the question's paragraphs carry no is_supporting flag
    _write(tmp_path / "popqa_corpus.json", [{"title": "P1", "text": "one"}, {"title": "P2", "text": "two"}])
    _write(tmp_path / "popqa.json", [{
        "id": "1", "question": "Q?", "possible_answers": '["A", "B"]',
        "paragraphs": [{"title": "P1", "text": "one"}],
    }, {
        "id": "2", "question": "Q2?", "answer": "C",
        "contexts": [{"title": "P1", "text": "one"}, {"title": "P2", "text": "two", "is_supporting": True}],
    }])
    first, second = load_dataset(tmp_path / "popqa.json").questions
    assert first.answers == ["A", "B"]
    assert [(g.title, g.text) for g in first.gold] == [("P1", "one")]
    assert [(g.title, g.text) for g in second.gold] == [("P2", "two")]  # contexts need the flag


def test_hipporag_2wiki_style_from_file(tmp_path: Path) -> None:
    _write(tmp_path / "2wiki_corpus.json", [{"title": "X", "text": "First. Second."}])
    _write(tmp_path / "2wiki.json", [{
        "_id": "abc", "question": "Q?", "answer": "A",
        "supporting_facts": [["X", 0], ["X", 1]],
        "context": [["X", ["First.", "Second."]], ["Y", ["Other."]]],
    }])
    ds = load_dataset(tmp_path / "2wiki.json")
    q = ds.questions[0]
    assert q.id == "abc"
    assert [(g.title, g.text) for g in q.gold] == [("X", "First. Second.")]


def test_title_to_text_dict_corpus(tmp_path: Path) -> None:
    _write(tmp_path / "d_corpus.json", {"T1": ["a.", "b."], "T2": "c."})
    _write(tmp_path / "d.json", [{"question": "?", "answer": "x", "paragraphs": []}])
    ds = load_dataset(tmp_path)
    assert [(e.title, e.text) for e in ds.corpus] == [("T1", "a. b."), ("T2", "c.")]
    assert ds.questions[0].id == "0"


def test_errors_are_user_errors(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="not found"):
        load_dataset(tmp_path / "missing")
    with pytest.raises(UserError, match="no questions.json"):
        load_dataset(tmp_path)
    _write(tmp_path / "questions.json", [{"id": "1", "question": "?", "gold": [], "gold_match": "doc"}])
    _write(tmp_path / "corpus.json", [{"title": "T", "text": "x"}])
    with pytest.raises(UserError, match="gold_match"):
        load_dataset(tmp_path)
    (tmp_path / "questions.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(UserError, match="cannot read"):
        load_dataset(tmp_path)
