"""The nearest-neighbour index behind linking and synonymy (hippo.retrieve.ann): exact below the
threshold, HNSW above it that agrees with the exact scan on clustered vectors, persisted beside
the snapshot, reopened without a rebuild, extended when the store appended rows and rebuilt when
rows changed; and through the snapshot cache of a real SQLite store."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from hippo.config import Settings
from hippo.errors import ConfigError
from hippo.retrieve import ann
from hippo.retrieve.ann import AnnConfig, VectorIndex
from hippo.retrieve.columns import StringColumn
from hippo.retrieve.snapshot_cache import SnapshotCache
from hippo.store.sqlite import SQLiteStore
from tests.contract.builders import make_write


def _clustered(n: int, seed: int = 0, dim: int = 32) -> np.ndarray:
    """Unit vectors around 40 centres: the shape real text embeddings have (random ones do not)."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(40, dim))
    v = centres[rng.integers(0, 40, size=n)] + 0.35 * rng.normal(size=(n, dim))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


def _ids(n: int, tag: str = "r") -> StringColumn:
    return StringColumn.of(f"{tag}{i}" for i in range(n))


def _meta(directory: Path, kind: str = "fact") -> dict[str, object]:
    data = json.loads((directory / f"{kind}.json").read_text())
    assert isinstance(data, dict)
    return data


def test_the_threshold_decides_between_scan_and_hnsw() -> None:
    m = _clustered(300)
    assert not ann.open_index(m, _ids(300), AnnConfig("auto", min_rows=301), None, "fact").approximate
    assert ann.open_index(m, _ids(300), AnnConfig("auto", min_rows=300), None, "fact").approximate
    assert not ann.open_index(m, _ids(300), AnnConfig("off", min_rows=1), None, "fact").approximate
    assert ann.open_index(m, _ids(300), AnnConfig("on", min_rows=10**9), None, "fact").approximate
    empty = np.zeros((0, 32), np.float32)
    assert not ann.open_index(empty, _ids(0), AnnConfig("on"), None, "fact").approximate


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HIPPO_ANN", "on")
    monkeypatch.setenv("HIPPO_ANN_MIN_ROWS", "1234")
    assert AnnConfig.of(Settings.from_env()) == AnnConfig("on", 1234)
    with pytest.raises(ConfigError):
        Settings(ann="sometimes")


def test_hnsw_agrees_with_the_exact_scan_and_reports_exact_scores() -> None:
    m = _clustered(3000)
    queries = _clustered(50, seed=1)
    exact, approx = VectorIndex(m), ann.build(m)
    e_rows, e_scores = exact.search(queries, 10)
    a_rows, a_scores = approx.search(queries, 10)
    overlap = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(a_rows, e_rows, strict=True)])
    assert overlap >= 0.95
    # the scores of the rows found are their exact dot products, best first
    assert np.allclose(a_scores, np.einsum("qkd,qd->qk", m[a_rows], queries), atol=1e-5)
    assert np.all(np.diff(a_scores, axis=1) <= 1e-7)
    # exact scan = a full sort of the dot products
    full = queries @ m.T
    assert np.array_equal(e_rows, np.argsort(-full, axis=1, kind="stable")[:, :10])


def test_top_min_max_normalises_over_all_rows_on_both_paths() -> None:
    m = _clustered(3000)
    q = _clustered(1, seed=2)[0]
    full = m @ q
    expected = (full - full.min()) / (full.max() - full.min())
    for index in (VectorIndex(m), ann.build(m)):
        rows, scores = index.top_min_max(q, 5)
        assert rows.size == 5
        assert np.allclose(scores, expected[rows], atol=1e-3)
    assert np.array_equal(VectorIndex(m).top_min_max(q, 5)[0], np.argsort(-expected, kind="stable")[:5])


def test_rows_tied_at_the_kth_score_are_settled_by_row_as_the_scan_does() -> None:
    # one-hot rows, each three times: dot products are exactly 1 or 0, so the ties are exact
    m = np.tile(np.eye(32, dtype=np.float32), (3, 1))
    queries = np.eye(32, dtype=np.float32)
    exact, approx = VectorIndex(m), ann.build(m)
    for k in (1, 2, 3):
        rows = exact.search(queries, k)[0]
        assert np.array_equal(rows[:, 0], np.arange(32))  # the scan keeps the lowest row of a tie
        assert np.array_equal(approx.search(queries, k)[0], rows), k


def test_all_scores_are_exact_on_the_rows_found_and_the_lowest_elsewhere() -> None:
    m = _clustered(3000)
    q = _clustered(1, seed=3)[0]
    full = m @ q
    assert np.array_equal(VectorIndex(m).all_scores(q, 50), full)
    scores = ann.build(m).all_scores(q, 50)
    assert scores.shape == full.shape and scores.dtype == np.float32
    found = scores > scores.min()
    assert 45 <= found.sum() <= 50
    assert np.allclose(scores[found], full[found], atol=1e-5)
    assert np.isclose(scores.min(), full.min(), atol=1e-5)  # the floor is the true lowest score
    # min-max over either array ranks and weighs the head alike
    exact_top = np.argsort(-full, kind="stable")[:10]
    approx_top = np.argsort(-scores, kind="stable")[:10]
    assert len(set(exact_top) & set(approx_top)) >= 9
    expected = (full - full.min()) / (full.max() - full.min())
    got = (scores - scores.min()) / (scores.max() - scores.min())
    assert np.allclose(got[approx_top], expected[approx_top], atol=1e-4)


def test_allowed_rows_restrict_both_paths() -> None:
    m = _clustered(2000)
    allowed = np.arange(2000) % 3 != 0
    for index in (VectorIndex(m), ann.build(m)):
        rows, _ = index.search(m[:20], 15, allowed=allowed)
        assert np.all(allowed[rows[rows >= 0]])
        assert (rows >= 0).sum() >= 15 * 20 * 0.9


def test_persisted_index_is_reopened_extended_and_rebuilt(tmp_path: Path) -> None:
    m = _clustered(2500)
    on = AnnConfig("on")
    first = ann.open_index(m[:2000], _ids(2000), on, tmp_path, "fact", version=1)
    assert first.approximate and _meta(tmp_path)["rows"] == 2000 and _meta(tmp_path)["extended_from"] == 0
    stamp = (tmp_path / "fact.faiss").stat().st_mtime_ns

    # another process, same rows: mapped as it is, not written again
    again = ann.open_index(m[:2000], _ids(2000), on, tmp_path, "fact", version=1)
    assert again.approximate and (tmp_path / "fact.faiss").stat().st_mtime_ns == stamp
    assert np.array_equal(again.search(m[:5], 3)[0], first.search(m[:5], 3)[0])

    # the store appended 500 rows: the old graph is extended with them, and finds them
    grown = ann.open_index(m, _ids(2500), on, tmp_path, "fact", version=2)
    assert _meta(tmp_path)["rows"] == 2500 and _meta(tmp_path)["extended_from"] == 2000
    rows, _ = grown.search(m[2000:2100], 1)
    assert np.mean(rows[:, 0] == np.arange(2000, 2100)) >= 0.95

    # a process still on version 1 meets version 2's file: scans, leaves the file alone
    stamp = (tmp_path / "fact.faiss").stat().st_mtime_ns
    older = ann.open_index(m[:2000], _ids(2000), on, tmp_path, "fact", version=1)
    assert not older.approximate and (tmp_path / "fact.faiss").stat().st_mtime_ns == stamp

    # rows deleted and others written (fewer rows, other ids): rebuilt from scratch
    rebuilt = ann.open_index(m[:1500], _ids(1500, tag="other"), on, tmp_path, "fact", version=3)
    assert rebuilt.approximate
    assert _meta(tmp_path)["rows"] == 1500 and _meta(tmp_path)["extended_from"] == 0
    assert int(rebuilt.search(m[1400], 1)[0][0, 0]) == 1400


def _doc(i: int) -> object:
    return make_write(f"doc-{i}", [(f"Person {i} met Person {i + 1} in City {i % 3}.",
                                    [(f"Person {i}", "met", f"Person {i + 1}"), (f"Person {i}", "visited", f"City {i % 3}")])])


def test_the_snapshot_cache_builds_the_indexes_with_the_snapshot_and_extends_them(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "hippo.db")
    try:
        store.write_documents("ns", [_doc(i) for i in range(6)])
        cache = SnapshotCache(tmp_path / "snaps", ann=AnnConfig("on"))
        snap = cache.refresh(store, "ns")
        assert snap.ann_dir is not None and snap.ann_dir.parent.parent == tmp_path / "snaps"
        for kind in ("entity", "fact", "passage"):
            assert _meta(snap.ann_dir, kind)["rows"] == len(snap.embeddings[kind])
            assert snap.vector_index(kind).approximate
        n_facts = len(snap.fact_ids)

        # a fresh process maps what is there; linking through it equals the exact scan here
        other = SnapshotCache(tmp_path / "snaps", ann=AnnConfig("on")).get(store, "ns")
        exact = SnapshotCache(tmp_path / "snaps", ann=AnnConfig("off")).get(store, "ns")
        q = np.asarray(snap.fact_emb[0])
        assert np.array_equal(other.fact_index.top_min_max(q, 3)[0], exact.fact_index.top_min_max(q, 3)[0])
        assert not exact.fact_index.approximate

        store.write_documents("ns", [_doc(i) for i in range(6, 8)])
        newer = cache.refresh(store, "ns")
        assert newer.version > snap.version and len(newer.fact_ids) > n_facts
        meta = _meta(newer.ann_dir or tmp_path, "fact")
        assert meta["rows"] == len(newer.fact_ids) and meta["extended_from"] == n_facts
    finally:
        store.close()
