"""Fuzzing the document readers and the chunker: whatever bytes or JSON a file holds, reading
never raises (except UserError for a missing path), and what comes out obeys the limits."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hippo.index.chunk import chunk_document
from hippo.index.ingest import ReadProblem, read_sources
from hippo.types import Document

MAX_CHARS = 400
SUFFIXES = (".txt", ".md", ".jsonl", ".json")

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
# records shaped like documents, with every field sometimes wrong
records = st.fixed_dictionaries(
    {},
    optional={"id": json_values, "title": json_values, "text": st.text(max_size=600) | json_values,
              "metadata": json_values},
)


def check(result_docs: list[Document], problems: list[ReadProblem]) -> None:
    for doc in result_docs:
        assert isinstance(doc.id, str) and doc.id
        assert isinstance(doc.title, str) and isinstance(doc.metadata, dict)
        assert doc.text.strip() and "\x00" not in doc.text and len(doc.text) <= MAX_CHARS
    for problem in problems:
        assert isinstance(problem, ReadProblem)
        assert problem.message and "\n" not in str(problem), str(problem)


def read_file(name: str, data: bytes) -> tuple[list[Document], list[ReadProblem]]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        result = read_sources([path], MAX_CHARS)
        folder = read_sources([tmp], MAX_CHARS)  # a folder read gives the same documents
        assert [d.text for d in folder.documents] == [d.text for d in result.documents]
    return result.documents, result.problems


@settings(max_examples=150, deadline=None)
@given(data=st.binary(max_size=600), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes_never_crash_a_reader(data: bytes, suffix: str) -> None:
    docs, problems = read_file("f" + suffix, data)
    check(docs, problems)
    assert docs or problems  # a file is either read or reported


@settings(max_examples=150, deadline=None)
@given(lines=st.lists(records | json_values, max_size=6), garbage=st.lists(st.text(max_size=20), max_size=2))
def test_random_jsonl_records(lines: list[Any], garbage: list[str]) -> None:
    text = "\n".join([json.dumps(x) for x in lines] + [g.replace("\n", " ") for g in garbage])
    docs, problems = read_file("c.jsonl", text.encode("utf-8"))
    check(docs, problems)
    non_blank = sum(1 for line in text.splitlines() if line.strip())
    # one outcome per line, nothing silently lost; a file without lines is itself a problem
    assert len(docs) + len(problems) == max(non_blank, 1)


@settings(max_examples=150, deadline=None)
@given(value=st.lists(records, max_size=5) | json_values)
def test_random_json_corpus(value: Any) -> None:
    docs, problems = read_file("c.json", json.dumps(value).encode("utf-8"))
    check(docs, problems)


@settings(max_examples=200, deadline=None)
@given(text=st.text(min_size=1, max_size=3000), max_tokens=st.integers(16, 60), overlap=st.integers(0, 15))
def test_chunks_respect_the_limit_and_keep_every_token(text: str, max_tokens: int, overlap: int) -> None:
    doc = Document(id="d", title="T", text=text)
    passages = chunk_document(doc, max_tokens, overlap)
    tokens = text.split()
    if not tokens:
        assert passages == []
        return
    assert passages and all(p.text.strip() for p in passages)
    assert all(len(p.text.split()) <= max_tokens for p in passages)
    covered = {t for p in passages for t in p.text.split()}
    assert set(tokens) <= covered
