"""Queries during writes see the graph before or after a replace, never half of it: one thread
replaces a three-passage document back and forth while another reads and queries."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from hippo.embed import Embedder
from hippo.index.chunk import chunk_document
from hippo.index.extract.openie_import import ImportedExtractor
from hippo.memory import Memory
from hippo.store.base import GraphStore
from hippo.types import Document
from tests.support.lifecycle_corpus import Version, write_openie_file
from tests.support.lifecycle_fixtures import embedder, lifecycle_store  # noqa: F401

CHUNK = 24  # each sentence (under 24 tokens) becomes its own passage


def long_version(tag: str, city: str) -> Version:
    sentences = [
        f"The {tag} edition of the river atlas was drawn by Ivar Lunde in {city} during the long winter.",
        f"Ivar Lunde printed the {tag} atlas of the river on a press he had built himself in {city}.",
        f"Readers of the {tag} river atlas praised how Ivar Lunde drew every bend between {city} and the sea.",
    ]
    return Version("River atlas", " ".join(sentences), ("Ivar Lunde", city, f"{tag} river atlas"),
                   (("Ivar Lunde", "drew", f"{tag} river atlas"), (f"{tag} river atlas", "printed in", city)))


VERSIONS = (long_version("first", "Bodø"), long_version("second", "Narvik"))
STABLE = Version("Lunde", "Ivar Lunde was a mapmaker from Norway.", ("Ivar Lunde", "Norway"),
                 (("Ivar Lunde", "from", "Norway"),))


def doc(v: Version, doc_id: str = "atlas") -> Document:
    return Document(id=doc_id, title=v.title, text=v.text)


@pytest.fixture
def pair(lifecycle_store: GraphStore, embedder: Embedder, tmp_path: Path) -> Iterator[tuple[Memory, Memory]]:  # noqa: F811
    openie = write_openie_file(tmp_path / "openie.json", [*VERSIONS, STABLE])
    ns = f"conc-{uuid.uuid4().hex[:10]}"

    def make() -> Memory:
        return Memory(store=lifecycle_store, namespace=ns, embedder=embedder,
                      extractor=ImportedExtractor(str(openie)), chunk_tokens=CHUNK, chunk_overlap=0)

    yield make(), make()
    lifecycle_store.drop_namespace(ns)


def test_queries_during_replaces_see_one_version(pair: tuple[Memory, Memory]) -> None:
    writer, reader = pair
    passage_sets = [frozenset(p.id for p in chunk_document(doc(v), CHUNK, 0)) for v in VERSIONS]
    assert all(len(s) == 3 for s in passage_sets) and not passage_sets[0] & passage_sets[1]
    writer.add_documents([doc(VERSIONS[0]), doc(STABLE, "lunde")])
    stable_ids = set(reader.store.export(reader.namespace).passage_ids) - passage_sets[0]
    assert len(stable_ids) == 1

    done = threading.Event()
    errors: list[BaseException] = []
    seen_versions: set[int] = set()
    replaces = 0

    def write() -> None:
        nonlocal replaces
        try:
            while not done.is_set():
                replaces += 1
                writer.add_documents([doc(VERSIONS[replaces % 2])], replace=True)
                time.sleep(0.01)
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        for check in range(400):
            export = reader.store.export(reader.namespace)
            ids = set(export.passage_ids) - stable_ids
            assert ids in passage_sets, f"export saw a half-replaced document: {len(ids)} passages"
            seen_versions.add(passage_sets.index(frozenset(ids)))
            # four passages in the namespace, top_k=4: every answer must hold all of them
            for mode in ("dense", "hipporag2"):
                result = reader.query("Who drew the river atlas?", top_k=4, mode=mode)
                hit_ids = {h.passage_id for h in result.hits} - stable_ids
                assert hit_ids in passage_sets and len(result.hits) == 4, (
                    f"{mode} query saw {len(result.hits)} hits, mixed={hit_ids not in passage_sets}")
                assert all(h.doc_id == "atlas" for h in result.hits if h.passage_id not in stable_ids)
            if check >= 40 and len(seen_versions) == 2 and replaces >= 10 or errors:
                break
    finally:
        done.set()
        thread.join(timeout=300)
    assert not errors, errors
    assert seen_versions == {0, 1}, "the reader never overlapped a replace; the test proved nothing"
