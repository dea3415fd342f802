"""Passages through HNSW (``HIPPO_ANN=on``): a query scores only its nearest passages exactly and
ranks like the full scan at the head, in every mode."""

from __future__ import annotations

from pathlib import Path

import pytest

from hippo.memory import Memory
from hippo.retrieve import retriever
from hippo.retrieve.snapshot import PASSAGE

SAMPLE = Path(__file__).resolve().parents[2] / "hippo" / "sample"
QUESTIONS = (
    "In which town was the author of The Glass Orchard born?",
    "Who wrote The Glass Orchard?",
    "Which river runs through the city where the admiral was born?",
)


def _rankings(memory: Memory, mode: str, k: int) -> list[list[str]]:
    return [[h.passage_id for h in memory.query(q, top_k=k, mode=mode).hits] for q in QUESTIONS]


def test_passages_through_hnsw_rank_like_the_scan(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = f"sqlite:///{tmp_path / 'h.db'}"
    with Memory(store=store, namespace="sample", ann="off", snapshot_dir=str(tmp_path / "exact")) as m:
        m.index([SAMPLE / "corpus.jsonl"])
        exact = {mode: _rankings(m, mode, 5) for mode in ("dense", "hipporag2", "bridge")}
    # fewer candidates than passages, so the passages outside them really are left unscored
    monkeypatch.setattr(retriever, "PASSAGE_CANDIDATES", 12)
    with Memory(store=store, namespace="sample", ann="on", snapshot_dir=str(tmp_path / "hnsw")) as m:
        snap = m.retriever.snapshot(m.namespace)
        assert snap.vector_index(PASSAGE).approximate and snap.n_passages > 12
        approx = {mode: _rankings(m, mode, 5) for mode in exact}
    assert approx["dense"] == exact["dense"]
    for mode in ("hipporag2", "bridge"):
        for a, e in zip(approx[mode], exact[mode], strict=True):
            assert a[0] == e[0] and len(set(a) & set(e)) >= 4, (mode, a, e)
