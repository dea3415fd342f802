import json
from pathlib import Path

import pytest

from hippo.errors import UserError
from hippo.index.chunk import chunk_document
from hippo.index.ingest import read_sources
from hippo.types import Document


def test_reads_every_format_and_reports_bad_items(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Plain text document.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Heading Title\n\nBody text.", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text(
        json.dumps({"id": "x1", "title": "X", "text": "one"}) + "\n{broken\n"
        + json.dumps({"text": "   "}) + "\n" + json.dumps({"title": "Y", "text": "two"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "d.json").write_text(json.dumps([{"title": "T", "text": "hippo corpus"}]), encoding="utf-8")
    (tmp_path / "e.txt").write_bytes(b"\xff\xfe\xfa bad utf8")
    (tmp_path / "f.txt").write_bytes(b"\x00\x01\x02binary")
    result = read_sources([tmp_path])
    titles = sorted(d.title for d in result.documents)
    assert titles == ["Heading Title", "T", "X", "Y", "a"]
    problems = "\n".join(str(p) for p in result.problems)
    assert "c.jsonl:2: malformed JSON" in problems
    assert "c.jsonl:3: empty document" in problems
    assert "e.txt: not valid UTF-8" in problems
    assert "f.txt: binary file" in problems
    ids = {d.title: d.id for d in result.documents}
    assert ids["X"] == "x1" and ids["a"] == "a.txt"


def test_ids_are_stable_across_reads(tmp_path: Path) -> None:
    (tmp_path / "d.json").write_text(json.dumps([{"title": "T", "text": "hippo corpus"}]), encoding="utf-8")
    assert read_sources([tmp_path]).documents[0].id == read_sources([tmp_path / "d.json"]).documents[0].id


def test_missing_path_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no such file"):
        read_sources([tmp_path / "nope"])


def test_oversized_document_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "big.txt").write_text("word " * 1000, encoding="utf-8")
    result = read_sources([tmp_path], max_chars=100)
    assert not result.documents and "exceeds the limit" in str(result.problems[0])


def test_chunking_respects_size_overlap_and_sentences() -> None:
    sentences = [f"Sentence number {i} has exactly seven words." for i in range(40)]
    doc = Document(id="d", title="T", text=" ".join(sentences))
    passages = chunk_document(doc, max_tokens=50, overlap=10)
    assert len(passages) > 5
    for p in passages:
        assert len(p.text.split()) <= 50
        assert p.text.endswith(".")  # cut at sentence ends
    # neighbours share the overlap sentence
    assert passages[0].text.split(". ")[-1] in passages[1].text
    assert [p.position for p in passages] == list(range(len(passages)))
    assert chunk_document(doc, 50, 10) == passages  # deterministic ids


def test_short_document_is_one_passage_and_long_sentence_is_split() -> None:
    assert len(chunk_document(Document(id="d", title="", text="short text"), 50, 10)) == 1
    long_sentence = Document(id="d", title="", text=" ".join(f"w{i}" for i in range(120)))
    parts = chunk_document(long_sentence, 50, 10)
    assert all(len(p.text.split()) <= 50 for p in parts)
    assert "w119" in parts[-1].text and "w0" in parts[0].text


def test_deeply_nested_json_is_a_problem_and_the_good_files_are_still_read(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Maren Tolvik lives in Bergen.", encoding="utf-8")
    (tmp_path / "brackets.json").write_text("[" * 100_000, encoding="utf-8")
    deep_line = '{"id": "deep", "text": "t", "metadata": ' + '{"a": ' * 1000 + "1" + "}" * 1000 + "}"
    (tmp_path / "deep.jsonl").write_text(deep_line + "\n" + json.dumps({"id": "ok", "text": "fine"}) + "\n",
                                         encoding="utf-8")
    result = read_sources([tmp_path])
    assert sorted(d.id for d in result.documents) == ["good.txt", "ok"]
    problems = sorted(str(p) for p in result.problems)
    assert problems == [f"{tmp_path / 'brackets.json'}: JSON nested too deeply to read (over ~1,000 levels of [ or {{)",
                        f"{tmp_path / 'deep.jsonl'}:1: JSON nested too deeply to read (over ~1,000 levels of [ or {{)"]
