"""Importing HippoRAG OpenIE files (v1 and v2)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from hippo.errors import UserError
from hippo.index.chunk import chunk_document
from hippo.index.extract.openie_import import NOT_IN_FILE, ImportedExtractor
from hippo.text import passage_id
from hippo.types import Document, Extraction, Passage, Triple

SHARED_MUSIQUE = Path(__file__).resolve().parents[5] / "shared" / "data" / "musique"


def passage(title: str, text: str) -> Passage:
    return Passage(id=passage_id(title, text), doc_id=title or text[:10], title=title, text=text)


def write(tmp_path: Path, data: Any, name: str = "openie.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


V1 = {
    "docs": [
        {
            # HippoRAG 1: passage = title\ntext, lists as Python-literal strings
            "passage": "Ada Lovelace\nAda Lovelace was born in London.",
            "extracted_entities": "['Ada Lovelace', 'London']",
            "extracted_triples": "[('Ada Lovelace', 'born in', 'London'), ('Ada Lovelace', 'born')]",
        },
        {
            # text only, real lists, odd spacing
            "passage": "Kyōto   was the capital of Japan until 1869.",
            "extracted_entities": ["Kyōto", "Japan", 1869],
            "extracted_triples": [["Kyōto", "capital of", "Japan"], ["Kyōto", "capital until", 1869]],
        },
        {
            "passage": "Broken\nThis entry's literal is damaged.",
            "extracted_entities": "['Broken'",
            "extracted_triples": "[]",
        },
        {
            # the literal would run code under eval: literal_eval refuses it
            "passage": "Sneaky\nA sneaky entry.",
            "extracted_entities": "__import__('os').getcwd()",
            "extracted_triples": "[]",
        },
    ]
}

V2 = {
    "docs": [
        {
            "idx": "chunk-1f2e",
            "passage": "Ada Lovelace\nAda Lovelace was born in London.",
            "extracted_entities": ["Ada Lovelace", "London"],
            "extracted_triples": [["Ada Lovelace", "born in", "London"]],
        }
    ],
    "avg_ent_chars": 9.5,
    "avg_ent_words": 1.5,
}


def test_v1_file_with_literal_strings(tmp_path: Path) -> None:
    extractor = ImportedExtractor(write(tmp_path, V1, "musique_openie.json"))
    assert extractor.name == "openie:musique_openie.json"
    ada, kyoto, broken, sneaky = extractor.extract(
        [
            passage("Ada Lovelace", "Ada Lovelace was born in London."),
            passage("", "Kyōto was the capital of Japan until 1869."),
            passage("Broken", "This entry's literal is damaged."),
            passage("Sneaky", "A sneaky entry."),
        ]
    )
    assert ada.error is None
    assert ada.entities == ["Ada Lovelace", "London"]
    assert ada.triples == [Triple("Ada Lovelace", "born in", "London")]  # the 2-element triple dropped
    assert kyoto.error is None and kyoto.entities == ["Kyōto", "Japan", "1869"]
    assert kyoto.triples == [Triple("Kyōto", "capital of", "Japan"), Triple("Kyōto", "capital until", "1869")]
    assert broken.error is not None and "extracted_entities" in broken.error and broken.triples == []
    assert sneaky.error is not None and "not a readable list literal" in sneaky.error
    assert extractor.file.dropped_triples == 1


def test_v2_file_matches_title_and_text_or_text_alone(tmp_path: Path) -> None:
    extractor = ImportedExtractor(write(tmp_path, V2))
    with_title, spaced = extractor.extract(
        [
            passage("Ada Lovelace", "Ada Lovelace was born in London."),
            passage("Ada  Lovelace", "Ada Lovelace was\nborn in London. "),
        ]
    )
    assert with_title.triples == [Triple("Ada Lovelace", "born in", "London")]
    assert spaced.triples == with_title.triples  # whitespace differences do not matter


def test_strict_mode_fails_a_passage_with_a_wrong_arity_triple(tmp_path: Path) -> None:
    extractor = ImportedExtractor(write(tmp_path, V1), strict=True)
    [ada] = extractor.extract([passage("Ada Lovelace", "Ada Lovelace was born in London.")])
    assert ada.error is not None and "wrong arity" in ada.error


def test_missing_passages_error_or_go_to_the_fallback(tmp_path: Path) -> None:
    path = write(tmp_path, V2)
    new = passage("Charles Babbage", "Charles Babbage designed the Analytical Engine.")
    known = passage("Ada Lovelace", "Ada Lovelace was born in London.")
    assert ImportedExtractor(path).extract([new])[0].error == NOT_IN_FILE

    class Recorder:
        name = "recorder"

        def __init__(self) -> None:
            self.seen: list[str] = []

        def extract(self, passages: list[Passage], progress: Any = None) -> list[Extraction]:
            self.seen.extend(p.id for p in passages)
            return [Extraction(p.id, entities=["Charles Babbage"]) for p in passages]

    fallback = Recorder()
    first, second = ImportedExtractor(path, fallback=fallback).extract([new, known])
    assert fallback.seen == [new.id]  # only the passage the file lacks
    assert (first.passage_id, first.entities) == (new.id, ["Charles Babbage"])
    assert second.triples == [Triple("Ada Lovelace", "born in", "London")]


def test_a_chunk_of_a_file_passage_takes_the_triples_that_occur_in_it(tmp_path: Path) -> None:
    text = "Ada Lovelace was born in London. " * 3 + "Later she moved to Surrey with William King."
    data = {
        "docs": [
            {
                "passage": f"Ada Lovelace\n{text}",
                "extracted_entities": ["Ada Lovelace", "London", "Surrey", "William King"],
                "extracted_triples": [["Ada Lovelace", "born in", "London"], ["Ada Lovelace", "moved to", "Surrey"]],
            }
        ]
    }
    extractor = ImportedExtractor(write(tmp_path, data))
    chunk = passage("Ada Lovelace", "Ada Lovelace was born in London. Ada Lovelace was born in London.")
    [x] = extractor.extract([chunk])
    assert x.error is None
    assert x.entities == ["Ada Lovelace", "London"]
    assert x.triples == [Triple("Ada Lovelace", "born in", "London")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read"),
        ("{not json", "not JSON"),
        ('{"nodocs": 1}', "no 'docs' list"),
        ('{"docs": []}', "no passages"),
    ],
)
def test_unusable_files_are_user_errors(tmp_path: Path, content: str | None, message: str) -> None:
    path = tmp_path / "openie.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError, match=message):
        ImportedExtractor(str(path))


@pytest.mark.skipif(not SHARED_MUSIQUE.is_dir(), reason="shared benchmark data is not on this machine")
def test_hipporag_musique_file_covers_the_whole_corpus() -> None:
    extractor = ImportedExtractor(str(SHARED_MUSIQUE / "openie_gpt-3.5-turbo-1106.json"))
    corpus = json.loads((SHARED_MUSIQUE / "corpus.json").read_text(encoding="utf-8"))
    assert len(corpus) == 1890
    results = extractor.extract([passage(d["title"], d["text"]) for d in corpus])
    assert all(r.error is None for r in results)
    assert sum(len(r.triples) for r in results) > 17_000  # about 9 per passage
    # Hippo's own chunking splits a few long passages; the chunks still find their triples
    chunks = [p for i, d in enumerate(corpus) for p in chunk_document(Document(str(i), d["title"], d["text"]))]
    assert len(chunks) > len(corpus)
    chunked = extractor.extract(chunks)
    assert all(r.error is None for r in chunked)
