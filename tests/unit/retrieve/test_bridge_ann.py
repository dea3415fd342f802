"""The bridge mode's top-sentence search through the nearest-neighbour index (hippo.retrieve.ann):
HNSW forced on agrees with the exact scan, off is the exact scan, and the sentence index is written
beside the snapshot, mapped again by a later process and rebuilt for a later store version."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from hippo.config import Settings
from hippo.retrieve import ann
from hippo.retrieve.ann import AnnConfig
from hippo.retrieve.bridge import BridgeIndex, BridgeParams
from hippo.retrieve.columns import StringColumn
from hippo.retrieve.policies.base import Query
from hippo.retrieve.policies.registry import policy_class
from hippo.retrieve.snapshot import SENTENCE
from hippo.retrieve.snapshot_cache import SnapshotCache
from hippo.store.sqlite import SQLiteStore
from tests.contract.builders import embedding, make_write


def _layout(n_sentences: int = 3000, n_entities: int = 60, n_passages: int = 300, dim: int = 32) -> BridgeIndex:
    """Sentences clustered like text embeddings (random unit vectors have no near neighbours),
    each in one passage and naming two entities."""
    rng = np.random.default_rng(0)
    centres = rng.normal(size=(40, dim))
    v = centres[rng.integers(0, 40, size=n_sentences)] + 0.35 * rng.normal(size=(n_sentences, dim))
    emb = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
    s = np.arange(n_sentences)
    return BridgeIndex(
        version=1, entity_ids=[f"e{i}" for i in range(n_entities)], entity_names=[f"Entity {i}" for i in range(n_entities)],
        entity_emb=np.zeros((n_entities, dim), np.float32), passage_ids=[f"p{i}" for i in range(n_passages)],
        passage_emb=np.zeros((n_passages, dim), np.float32), sentence_passage=s % n_passages, sentence_emb=emb,
        mention_sentence=np.concatenate([s, s]), mention_entity=np.concatenate([s % n_entities, (s * 7 + 3) % n_entities]),
        alias_pairs=np.zeros((0, 2), np.int64),
    )


def test_hnsw_forced_on_finds_the_exact_top_sentences_and_the_same_reset() -> None:
    layout = _layout()
    texts = StringColumn.of(f"sentence {i}" for i in range(layout.n_sentences))
    hnsw = ann.open_index(layout.sentence_emb, texts, AnnConfig("on"), None, SENTENCE)
    assert hnsw.approximate
    queries = layout.sentence_emb[:: layout.n_sentences // 50][:50] * 0.9 + 0.1 * layout.sentence_emb[7]
    found, same_reset = [], 0
    p = BridgeParams()
    dense = np.linspace(0, 1, layout.n_passages)
    for q in queries.astype(np.float32):
        exact_rows, exact_scores = layout.top_sentences(q, 5)
        rows, scores = layout.top_sentences(q, 5, hnsw)
        found.append(len(set(rows.tolist()) & set(exact_rows.tolist())) / 5)
        # the scores handed back are the dot products of the rows found (float32, summed in another order)
        assert np.allclose(scores, layout.sentence_emb[rows] @ q, rtol=1e-6, atol=0)
        same_reset += np.allclose(layout.reset("q", q, dense, p)[0], layout.reset("q", q, dense, p, search=hnsw)[0],
                                  rtol=1e-6, atol=0)
    assert np.mean(found) >= 0.95
    assert same_reset >= 45


def test_off_is_the_exact_scan_ties_by_row() -> None:
    layout = _layout(n_sentences=500)
    exact = ann.open_index(layout.sentence_emb, StringColumn.of(str(i) for i in range(500)), AnnConfig("off", 1), None,
                           SENTENCE)
    assert not exact.approximate
    rng = np.random.default_rng(3)
    for q in rng.normal(size=(20, 32)).astype(np.float32):
        scores = layout.sentence_emb @ q
        want = np.argsort(-scores, kind="stable")[:4]
        rows, got = layout.top_sentences(q, 4, exact)
        assert rows.tolist() == want.tolist() and np.array_equal(got, scores[want].astype(np.float64))
    # a tie: two equal sentences come back in row order
    tied = layout.sentence_emb.copy()
    tied[10] = tied[3]
    rows, _ = ann.VectorIndex(tied).search(tied[3], 2)
    assert rows[0].tolist() == [3, 10]


def _doc(i: int) -> object:
    # three sentences a passage (the builder cuts the text at "; ")
    text = f"Person {i} met Person {i + 1}; Person {i} lived in City {i % 3}; City {i % 3} lies on River {i % 2}"
    return make_write(f"doc-{i}", [(text, [(f"Person {i}", "met", f"Person {i + 1}"),
                                           (f"Person {i}", "lived in", f"City {i % 3}"),
                                           (f"City {i % 3}", "lies on", f"River {i % 2}")])])


def _meta(directory: Path) -> dict[str, object]:
    data = json.loads((directory / "sentence.json").read_text())
    assert isinstance(data, dict)
    return data


def test_the_sentence_index_is_persisted_reopened_and_extended(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "hippo.db")
    try:
        store.write_documents("ns", [_doc(i) for i in range(12)])
        snaps = tmp_path / "snaps"
        snap = SnapshotCache(snaps, ann=AnnConfig("on")).get(store, "ns")
        policy = policy_class("bridge")(Settings(), None, None)
        v = embedding("doc-3: Person 3 met Person 4")  # the builder embeds a sentence as "title: text"
        # a bridge query searches the sentence index: it builds and writes it
        policy.rank(snap, Query("who met whom", v, np.asarray(snap.passage_emb) @ v))
        assert snap.ann_dir is not None and (snap.ann_dir / "sentence.faiss").is_file()
        index = snap.vector_index(SENTENCE)
        n = snap.bridge().n_sentences
        assert index.approximate and n == 36
        assert _meta(snap.ann_dir)["rows"] == n
        stamp = (snap.ann_dir / "sentence.faiss").stat().st_mtime_ns

        # a later process maps the file as it is; the bridge ranking equals the exact scan's here
        other = SnapshotCache(snaps, ann=AnnConfig("on")).get(store, "ns")
        exact = SnapshotCache(snaps, ann=AnnConfig("off")).get(store, "ns")
        assert other.vector_index(SENTENCE).approximate and not exact.vector_index(SENTENCE).approximate
        assert (snap.ann_dir / "sentence.faiss").stat().st_mtime_ns == stamp
        for doc, text in (("doc-3", "Person 3 met Person 4"), ("doc-4", "City 1 lies on River 0"),
                          ("doc-7", "Person 7 lived in City 1")):
            v = embedding(f"{doc}: {text}")
            on_rank = policy.rank(other, Query(text, v, np.asarray(other.passage_emb) @ v))
            off_rank = policy.rank(exact, Query(text, v, np.asarray(exact.passage_emb) @ v))
            assert on_rank.rows.tolist() == off_rank.rows.tolist()
            assert on_rank.explanation.top_sentences == off_rank.explanation.top_sentences

        # the store appended documents: the next version's file holds every sentence and finds the
        # new ones (rebuilt, not extended: the layer's rows are in sentence-id order, so an append
        # moves rows and the digest of the old prefix no longer matches)
        store.write_documents("ns", [_doc(i) for i in range(12, 14)])
        newer = SnapshotCache(snaps, ann=AnnConfig("on")).get(store, "ns")
        grown = newer.vector_index(SENTENCE)
        layout = newer.bridge()
        assert grown.approximate and layout.n_sentences == n + 6
        assert _meta(newer.ann_dir or tmp_path)["rows"] == n + 6
        assert _meta(newer.ann_dir or tmp_path)["extended_from"] == 0
        rows, _ = grown.search(np.asarray(layout.sentence_emb), 1)
        assert rows[:, 0].tolist() == list(range(n + 6))
    finally:
        store.close()
