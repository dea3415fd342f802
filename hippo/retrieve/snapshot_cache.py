"""Which snapshot a process uses: one per (store, namespace) in memory, backed by one directory
per store version on disk that every process opens instead of re-reading the store.

Order of preference when the store's version moved: the version's directory on disk (another
process or the indexer wrote it) → extend the newest snapshot on disk with what the store appended
since (``GraphStore.export_appended``) → a full export. Whatever was built is written to disk for
the next process.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from hippo.config import Settings
from hippo.retrieve import snapshot_files
from hippo.retrieve.ann import AnnConfig
from hippo.retrieve.snapshot import ENTITY, FACT, PASSAGE, GraphSnapshot
from hippo.retrieve.snapshot_delta import extend
from hippo.store.base import GraphStore

log = logging.getLogger(__name__)

OFF = "off"
# the kinds a query searches top-k in (passages: the head of the dense ranking, the rest floored;
# see VectorIndex.all_scores)
ANN_KINDS = (ENTITY, FACT, PASSAGE)


class SnapshotCache:
    """``root``: the snapshot directory; None = beside the store where it has a location (SQLite:
    ``<file>.snapshots/``), else in memory only; ``"off"`` = never on disk. ``ann``: when linking
    searches an HNSW index instead of scanning (its files live in ``<root>/<key>/ann/``)."""

    def __init__(self, root: str | Path | None = None, fallback: str | Path | None = None,
                 ann: AnnConfig | None = None) -> None:
        self._root = root
        self._fallback = fallback
        self.ann = ann or AnnConfig()
        self._snapshots: dict[str, GraphSnapshot] = {}
        self._lock = threading.Lock()

    @classmethod
    def for_settings(cls, settings: Settings) -> SnapshotCache:
        """``snapshot_dir`` if set; else beside the store, or ``<cache_dir>/../snapshots`` for a
        store without a local place (Neo4j)."""
        return cls(settings.snapshot_dir or None, fallback=Path(settings.cache_dir).parent / "snapshots",
                   ann=AnnConfig.of(settings))

    def root_for(self, store: GraphStore) -> Path | None:
        if self._root == OFF:
            return None
        if self._root is not None:
            return Path(self._root)
        home = store.default_snapshot_dir()
        return home if home is not None else (Path(self._fallback) if self._fallback is not None else None)

    def get(self, store: GraphStore, ns: str) -> GraphSnapshot:
        key = snapshot_files.snapshot_key(store.instance_id(), ns)
        version = store.version(ns)
        with self._lock:
            cached = self._snapshots.get(key)
            if cached is not None and cached.version == version:
                return cached
            snapshot = self._load(store, ns, key, version, cached)
            snapshot.layer_source = lambda: store.export_sentences(ns)
            root = self.root_for(store)
            snapshot.ann_dir = root / key / "ann" if root is not None else None
            snapshot.ann_config = self.ann
            self._snapshots[key] = snapshot
            return snapshot

    def refresh(self, store: GraphStore, ns: str) -> GraphSnapshot:
        """Bring the snapshot up to the store's version now (the indexer calls this after a write,
        so the next query process opens it from disk instead of building it), with the
        nearest-neighbour indexes its size calls for."""
        snapshot = self.get(store, ns)
        for kind in ANN_KINDS:
            snapshot.vector_index(kind)
        return snapshot

    def _load(self, store: GraphStore, ns: str, key: str, version: int, cached: GraphSnapshot | None) -> GraphSnapshot:
        root = self.root_for(store)
        if root is not None:
            path = snapshot_files.version_dir(root, key, version)
            if (path / "meta.json").is_file():
                try:
                    found = GraphSnapshot.from_arrays(*snapshot_files.read(path))
                    found.disk_path = path
                    return found
                except (OSError, ValueError, KeyError) as exc:  # unreadable or older format: rebuild
                    log.warning("snapshot at %s unusable (%s); rebuilding", path, exc)
        base = cached
        if base is None and root is not None:
            older = [v for v in snapshot_files.versions_on_disk(root, key) if v < version]
            if older:
                try:
                    base = GraphSnapshot.from_arrays(*snapshot_files.read(snapshot_files.version_dir(root, key, older[-1])))
                except (OSError, ValueError, KeyError):
                    base = None
        snapshot = None
        if base is not None:
            delta = store.export_appended(ns, base.cursor)
            if delta is not None:
                snapshot = extend(base, delta)
        if snapshot is None:
            export, cursor = store.export_with_cursor(ns)
            snapshot = GraphSnapshot.build(export)
            snapshot.cursor = cursor
        if root is None:
            return snapshot
        arrays, meta = snapshot.arrays()
        path = snapshot_files.write(root, key, snapshot.version, arrays, meta)
        # map what was just written: this process then holds the same pages as every other one
        reopened = GraphSnapshot.from_arrays(*snapshot_files.read(path))
        reopened.source = snapshot.source
        reopened.disk_path = path
        return reopened

    def drop(self, store: GraphStore, ns: str) -> None:
        """Forget one namespace's snapshot in memory (it turned out stale)."""
        with self._lock:
            self._snapshots.pop(snapshot_files.snapshot_key(store.instance_id(), ns), None)

    def invalidate(self) -> None:
        with self._lock:
            self._snapshots.clear()
