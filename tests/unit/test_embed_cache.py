"""The persistent embedding cache: shared across embedders and stores, keyed by model and text."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest

from hippo.config import Settings
from hippo.embed import Embedder
from hippo.embed_cache import EmbeddingCache, model_identity
from hippo.memory import Memory
from hippo.types import Document


def test_vectors_round_trip_per_model(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    a = EmbeddingCache(path, "model-a", 3)
    a.put(["x", "y"], np.array([[1, 0, 0], [0, 1, 0]], dtype=np.float32))
    again = EmbeddingCache(path, "model-a", 3)  # a second process would open it like this
    found = again.get(["x", "y", "z"])
    assert set(found) == {"x", "y"}
    assert np.array_equal(found["y"], np.array([0, 1, 0], dtype=np.float32))
    assert (again.hits, again.misses) == (2, 1)
    assert EmbeddingCache(path, "model-b", 3).get(["x"]) == {}  # another model never sees them
    assert EmbeddingCache(path, "model-a", 4).get(["x"]) == {}  # nor a wrong dimension


def test_a_broken_cache_file_is_skipped_not_fatal(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "cache.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    with caplog.at_level(logging.WARNING):
        cache = EmbeddingCache(path, "m", 2)
        cache.put(["x"], np.ones((1, 2), dtype=np.float32))
        assert cache.get(["x"]) == {}
    assert "embedding" in caplog.text


def test_model_identity_changes_when_the_model_files_change(tmp_path: Path) -> None:
    (tmp_path / "weights.bin").write_bytes(b"1234")
    before = model_identity("m", "torch", str(tmp_path))
    assert model_identity("m", "onnx", str(tmp_path)) != before
    (tmp_path / "weights.bin").write_bytes(b"123456")
    assert model_identity("m", "torch", str(tmp_path)) != before


@pytest.mark.slow
def test_a_second_embedder_computes_nothing_it_has_seen(tmp_path: Path) -> None:
    path = str(tmp_path / "cache.sqlite")
    texts = ["Ostravel is a harbour town.", "Maren Tolvik wrote The Glass Orchard.", "Ostravel is a harbour town."]
    first = Embedder(disk_cache=path)
    vectors = first.embed(texts)
    assert first.computed == 2  # the repeated text once
    second = Embedder(disk_cache=path)
    assert np.allclose(second.embed(texts), vectors)
    assert second.computed == 0
    second.embed_query("a query never goes to disk")
    assert Embedder(disk_cache=path).disk is not None
    assert EmbeddingCache(path, second.disk.model if second.disk else "", second.dim).get(
        ["a query never goes to disk"]) == {}


@pytest.mark.slow
def test_reindexing_into_a_fresh_store_reembeds_nothing(tmp_path: Path) -> None:
    cache = str(tmp_path / "cache.sqlite")
    docs = [Document(id=f"d{i}", title=f"T{i}", text=f"Person {i} was born in Town {i}. Town {i} lies on River {i}.")
            for i in range(4)]
    reports = []
    for store in ("a", "b"):
        settings = Settings(store=f"sqlite:///{tmp_path / store}.db", embedding_cache=cache)
        with Memory(settings=settings) as memory:
            reports.append(memory.add_documents(docs).to_dict()["embedding"])
    assert reports[0]["computed"] > 0
    assert reports[1]["computed"] == 0 and reports[1]["cache_hit_rate"] == 1.0
    assert reports[1]["texts"] == reports[0]["texts"]
