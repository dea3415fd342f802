"""A small pool of short documents, each in two versions, with hand-written OpenIE for every
text — so lifecycle tests run the real indexing path (ImportedExtractor, real embeddings, real
stores) fast and deterministically.

The pool is built to exercise the lifetime rules: entities and facts shared between documents,
one passage shared verbatim by two documents, an entity written two ways that normalise to one
id ("St. Petersburg" / "St Petersburg"), near-duplicate names that get synonym edges, and one
version whose text is missing from the OpenIE file (its passage fails extraction).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from hippo.types import Document

T = tuple[str, str, str]


@dataclass(frozen=True)
class Version:
    title: str
    text: str
    entities: tuple[str, ...]
    triples: tuple[T, ...]
    in_openie_file: bool = True


ORCHARD_V0 = Version(
    "The Glass Orchard",
    "The Glass Orchard is a novel by Maren Tolvik. It was published in Bergen.",
    ("The Glass Orchard", "Maren Tolvik", "Bergen"),
    (("The Glass Orchard", "written by", "Maren Tolvik"), ("The Glass Orchard", "published in", "Bergen")),
)

POOL: dict[str, tuple[Version, Version]] = {
    "orchard": (
        ORCHARD_V0,
        Version(
            "The Glass Orchard",
            "The Glass Orchard is a novel by Maren Tolvik, first printed in Trondheim.",
            ("The Glass Orchard", "Maren Tolvik", "Trondheim"),
            (("The Glass Orchard", "written by", "Maren Tolvik"), ("The Glass Orchard", "printed in", "Trondheim")),
        ),
    ),
    "tolvik": (
        Version(
            "Maren Tolvik",
            "Maren Tolvik was born in Hammerfest, a town in Norway.",
            ("Maren Tolvik", "Hammerfest", "Norway"),
            (("Maren Tolvik", "born in", "Hammerfest"), ("Hammerfest", "town in", "Norway")),
        ),
        Version(
            "Maren Tolvik",
            "M. Tolvik, born in Tromsø, studied in Bergen.",
            ("M. Tolvik", "Tromsø", "Bergen"),
            (("M. Tolvik", "born in", "Tromsø"), ("M. Tolvik", "studied in", "Bergen")),
        ),
    ),
    "bergen": (
        Version(
            "Bergen",
            "Bergen is a city in Norway. The Bergen Public Library holds The Glass Orchard.",
            ("Bergen", "Norway", "Bergen Public Library", "The Glass Orchard"),
            (("Bergen", "city in", "Norway"), ("Bergen Public Library", "located in", "Bergen"),
             ("Bergen Public Library", "holds", "The Glass Orchard")),
        ),
        Version(
            "Bergen",
            "Bergen lies on the west coast of Norway; the Bergen public library is its largest.",
            ("Bergen", "Norway", "Bergen public library"),
            (("Bergen", "lies in", "Norway"), ("Bergen public library", "located in", "Bergen")),
        ),
    ),
    "petersburg": (
        Version(
            "Adaptation",
            "St. Petersburg hosted the premiere of The Glass Orchard adaptation.",
            ("St. Petersburg", "The Glass Orchard adaptation", "The Glass Orchard"),
            (("The Glass Orchard adaptation", "premiered in", "St. Petersburg"),
             ("The Glass Orchard adaptation", "based on", "The Glass Orchard")),
        ),
        Version(
            "Adaptation",
            "The adaptation toured from St Petersburg to Saint Petersburg and Norway.",
            ("St Petersburg", "Saint Petersburg", "Norway"),
            (("The adaptation", "toured", "St Petersburg"), ("The adaptation", "toured", "Saint Petersburg")),
        ),
    ),
    # version 0 repeats the orchard passage verbatim: one passage, two documents
    "copy": (
        ORCHARD_V0,
        Version(
            "Trondheim",
            "Trondheim is a city in Norway with a cathedral.",
            ("Trondheim", "Norway", "Nidaros Cathedral"),
            (("Trondheim", "city in", "Norway"),),
        ),
    ),
    "failing": (
        Version("Tromsø", "Tromsø is a city far north in Norway, the text the OpenIE file lacks.", (), (),
                in_openie_file=False),
        Version(
            "Tromsø",
            "Tromsø lies in northern Norway.",
            ("Tromsø", "Norway"),
            (("Tromsø", "lies in", "Norway"),),
        ),
    ),
}

DOC_IDS: tuple[str, ...] = tuple(POOL)


def document(doc_id: str, version: int) -> Document:
    v = POOL[doc_id][version]
    return Document(id=doc_id, title=v.title, text=v.text)


def write_openie_file(path: Path, versions: list[Version] | None = None) -> Path:
    """A HippoRAG v2 OpenIE file covering every pool text (except the deliberately missing one)."""
    if versions is None:
        versions = [v for pair in POOL.values() for v in pair]
    docs = []
    seen: set[str] = set()
    for v in versions:
        if not v.in_openie_file or v.text in seen:
            continue
        seen.add(v.text)
        docs.append({
            "idx": f"p{len(docs)}",
            "passage": f"{v.title}\n{v.text}",
            "extracted_entities": list(v.entities),
            "extracted_triples": [list(t) for t in v.triples],
        })
    path.write_text(json.dumps({"docs": docs}, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_corpus_jsonl(path: Path, docs: list[Document]) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for d in docs:
            out.write(json.dumps({"id": d.id, "title": d.title, "text": d.text}, ensure_ascii=False) + "\n")
    return path


# --- a larger generated corpus for crash tests (many batches, many kill points) -------------

_CITIES = ("Bergen", "Tromsø", "Hammerfest", "Trondheim", "Oslo", "Bodø", "Narvik", "Ålesund")
_PEOPLE = ("Maren Tolvik", "Ivar Lunde", "Sigrid Aas", "Oda Rønning", "Jonas Helle", "Kari Vik")


def generated_version(i: int, version: int) -> Version:
    """Document i of a synthetic corpus; version 1 changes one fact and one entity."""
    person = _PEOPLE[i % len(_PEOPLE)]
    city = _CITIES[(i + version) % len(_CITIES)]
    book = f"Book {i} of the North"
    text = (f"{book} was written by {person}. {person} lived in {city}. "
            f"{book} appeared in edition {version}.")
    return Version(
        f"Book {i}",
        text,
        (book, person, city),
        ((book, "written by", person), (person, "lived in", city)),
    )


def generated_document(i: int, version: int) -> Document:
    v = generated_version(i, version)
    return Document(id=f"gen-{i:03d}", title=v.title, text=v.text)
