"""Extending a snapshot on disk with appended rows, where the old snapshot had none of a kind."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hippo.retrieve.ann import AnnConfig
from hippo.retrieve.snapshot_cache import SnapshotCache
from hippo.store.sqlite import SQLiteStore
from tests.contract.builders import make_write


def test_a_snapshot_without_facts_is_extended_with_the_first_ones(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "hippo.db")
    try:
        # a passage with entities and no triple: the snapshot on disk holds zero fact rows
        store.write_documents("ns", [make_write("quiet", [("Nothing happened in Arden.", [])],
                                                extra_entities=["Arden"])])
        cache = SnapshotCache(tmp_path / "snaps", ann=AnnConfig("off"))
        first = cache.get(store, "ns")
        assert len(first.fact_ids) == 0
        store.write_documents("ns", [make_write("busy", [("Ada met Bo in Arden.", [("Ada", "met", "Bo")])])])
        # a fresh cache opens the old version from disk and extends it with the append
        later = SnapshotCache(tmp_path / "snaps", ann=AnnConfig("off")).get(store, "ns")
        assert later.version > first.version and len(later.fact_ids) == 1
        assert later.fact_emb.shape == (1, first.entity_emb.shape[1])
        assert np.isclose(np.linalg.norm(later.fact_emb[0]), 1.0, atol=1e-4)
    finally:
        store.close()
