"""The query path (job 2): link the query to facts or entities, seed Personalized PageRank,
rank passages by PPR mass, and explain the ranking.

Everything that does not depend on the query (graph, embedding matrices, node specificity) lives
in the snapshot, built once per store version; a query costs two matrix-vector products, a
PageRank and one passage read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from hippo.config import Settings
from hippo.embed import Embedder
from hippo.retrieve import ppr
from hippo.retrieve.bridge import BridgeParams
from hippo.retrieve.snapshot import GraphSnapshot, StaleSnapshot, one_thread
from hippo.retrieve.snapshot_cache import SnapshotCache
from hippo.store.base import GraphStore
from hippo.types import Hit, QueryResult

MODES = ("hipporag2", "hipporag1", "dense", "bridge")

# filter(query, candidate fact texts) -> indices of the facts to keep (HippoRAG 2's recognition memory)
FactFilter = Callable[[str, list[str]], list[int]]


def top_k_stable(scores: np.ndarray, k: int) -> np.ndarray:
    """``np.argsort(-scores, kind="stable")[:k]`` without sorting every score: partition to find the
    k-th best value, then stable-sort only the candidates at or above it (ties keep index order,
    exactly as the full sort does). Sorting 100k entity or fact scores per query costs ~10 ms."""
    if k <= 0:
        return np.zeros(0, dtype=np.intp)
    if k >= scores.size:
        return np.argsort(-scores, kind="stable")[:k]
    negated = -scores
    kth = np.partition(negated, k - 1)[k - 1]
    if np.isnan(kth):  # fewer than k numbers: NaNs order last, leave them to the full sort
        return np.argsort(negated, kind="stable")[:k]
    candidates = np.flatnonzero(negated <= kth)
    return candidates[np.argsort(negated[candidates], kind="stable")[:k]]


def min_max(x: np.ndarray) -> np.ndarray:
    if x.size == 0:
        return x
    lo, hi = float(x.min()), float(x.max())
    if hi - lo < 1e-12:
        return np.ones_like(x) if hi > 0 else np.zeros_like(x)
    return (x - lo) / (hi - lo)


@dataclass
class Ranking:
    """Passage rows of the snapshot with scores, best first, plus the explanation."""

    rows: np.ndarray
    scores: np.ndarray
    explanation: dict[str, Any]
    # PPR mass over every vertex (entities first) when the policy ran PageRank: what an extractive
    # answer reads its candidate entities from
    mass: np.ndarray | None = None


class Retriever:
    def __init__(
        self,
        store: GraphStore,
        embedder: Embedder,
        settings: Settings,
        snapshots: SnapshotCache | None = None,
        fact_filter: FactFilter | None = None,
    ) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.snapshots = snapshots or SnapshotCache()
        self.fact_filter = fact_filter

    def snapshot(self, ns: str) -> GraphSnapshot:
        return self.snapshots.get(self.store, ns)

    def query(self, ns: str, text: str, top_k: int = 5, mode: str | None = None) -> QueryResult:
        return self.query_ranked(ns, text, top_k, mode)[0]

    def query_ranked(
        self, ns: str, text: str, top_k: int = 5, mode: str | None = None
    ) -> tuple[QueryResult, GraphSnapshot | None, Ranking | None]:
        """The query's result plus the snapshot and ranking it came from (PPR mass included), for
        callers that draw or read the graph behind the answer without running PageRank again."""
        mode = mode or self.settings.retrieval_mode
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
        # A write that commits between the snapshot and the passage read can delete ranked
        # passages; rank again on the new snapshot instead of answering with half a result.
        for _ in range(5):
            snap = self.snapshot(ns)
            if snap.n_passages == 0:
                empty = QueryResult(query=text, mode=mode, hits=[], explanation={"reason": "the namespace is empty"})
                return empty, None, None
            try:
                ranking = self.rank(snap, text, mode)
            except StaleSnapshot:
                self.snapshots.drop(self.store, ns)
                continue
            top = ranking.rows[:top_k]
            ids = [snap.export.passage_ids[r] for r in top]
            passages = {p.id: p for p in self.store.get_passages(ns, ids)}
            if len(passages) == len(set(ids)):
                break
        hits = [
            Hit(passage_id=pid, doc_id=passages[pid].doc_id, title=passages[pid].title,
                text=passages[pid].text, score=float(score))
            for pid, score in zip(ids, ranking.scores[: len(top)], strict=False)
            if pid in passages
        ]
        explanation = dict(ranking.explanation)
        explanation["graph_version"] = snap.version
        return QueryResult(query=text, mode=mode, hits=hits, explanation=explanation), snap, ranking

    # --- ranking policies ----------------------------------------------------------------------
    def rank(self, snap: GraphSnapshot, text: str, mode: str) -> Ranking:
        query_vec = self.embedder.embed_query(text)
        with one_thread():
            dense = snap.export.passage_emb @ query_vec
            if mode == "dense":
                return self._by_scores(dense, {"mode": "dense"})
            if mode == "hipporag1":
                return self._hipporag1(snap, text, dense)
            if mode == "bridge":
                return self._bridge(snap, text, query_vec, dense)
            return self._hipporag2(snap, text, query_vec, dense)

    def _bridge(self, snap: GraphSnapshot, text: str, query_vec: np.ndarray, dense: np.ndarray) -> Ranking:
        index = snap.bridge()
        if index.n_sentences == 0:
            return self._by_scores(dense, {"mode": "bridge", "fallback": "dense (the graph has no sentences)"})
        params = BridgeParams()
        reset, linked = index.reset(text, query_vec, dense, params)
        if not np.any(reset > 0):
            return self._by_scores(dense, {"mode": "bridge", "fallback": "dense (nothing linked)"})
        run = ppr.pagerank(index.graph, reset, self.settings.replace(damping=params.damping))
        mass = run.mass
        passage_scores = mass[snap.n_entities :]
        exp = snap.export
        active: dict[int, float] = linked["active"]
        seeds = sorted(active, key=lambda e: -active[e])[:10]
        entity_mass = mass[: snap.n_entities]
        explanation: dict[str, Any] = {
            "mode": "bridge",
            "linked_entities": [{"phrase": exp.entity_names[e], "entity": exp.entity_names[e], "similarity": 1.0}
                                for e in linked["lexical"]],
            "top_sentences": [index.sentence_texts[int(index.sentence_rows[s])] for s in linked["top_sentences"]],
            "seed_entities": [{"entity_id": exp.entity_ids[e], "name": exp.entity_names[e],
                               "weight": round(float(active[e]), 6)} for e in seeds],
            "damping": params.damping,
            "passage_seed_weight": params.passage_weight,
            "pagerank": run.info,
            "top_entities_by_ppr": [
                {"entity_id": exp.entity_ids[v], "name": exp.entity_names[v], "mass": round(float(entity_mass[v]), 6)}
                for v in top_k_stable(entity_mass, 10) if entity_mass[v] > 0
            ],
        }
        ranking = self._by_scores(passage_scores, explanation)
        ranking.mass = mass
        return ranking

    @staticmethod
    def _by_scores(scores: np.ndarray, explanation: dict[str, Any]) -> Ranking:
        order = np.argsort(-scores, kind="stable")
        return Ranking(rows=order, scores=scores[order], explanation=explanation)

    def _hipporag2(self, snap: GraphSnapshot, text: str, query_vec: np.ndarray, dense: np.ndarray) -> Ranking:
        s = self.settings
        exp = snap.export
        if not exp.fact_ids:
            return self._by_scores(dense, {"mode": "hipporag2", "fallback": "dense (the graph has no facts)"})
        fact_scores = min_max(exp.fact_emb @ query_vec)
        top_facts = top_k_stable(fact_scores, s.top_facts)
        if self.fact_filter is not None:
            keep = self.fact_filter(text, [exp.fact_texts[i] for i in top_facts])
            top_facts = top_facts[[k for k in keep if 0 <= k < len(top_facts)]]
            if top_facts.size == 0:
                return self._by_scores(dense, {"mode": "hipporag2", "fallback": "dense (no fact passed the filter)"})

        entity_weight = np.zeros(snap.n_entities)
        for f in top_facts:
            for v in (snap.fact_subject[f], snap.fact_object[f]):
                if v >= 0:
                    entity_weight[v] += fact_scores[f] / max(snap.entity_passage_count[v], 1.0)
        # only the few entities of the linked facts carry weight: rank those, not all entities
        weighted = np.flatnonzero(entity_weight > 0)
        seeds = weighted[np.argsort(-entity_weight[weighted], kind="stable")[: s.top_entities]]

        reset = np.zeros(snap.n_vertices)
        reset[seeds] = entity_weight[seeds]
        reset[snap.n_entities :] = min_max(dense) * s.passage_weight
        return self._ppr_ranking(
            snap, reset, "hipporag2",
            linked_facts=[{"fact_id": exp.fact_ids[f], "text": exp.fact_texts[f], "score": round(float(fact_scores[f]), 4)}
                          for f in top_facts],
            seeds=seeds, seed_weights=entity_weight, dense=dense,
        )

    def _hipporag1(self, snap: GraphSnapshot, text: str, dense: np.ndarray) -> Ranking:
        from hippo.index.extract.spacy_extractor import query_entities

        exp = snap.export
        phrases = query_entities(text)
        if not phrases or snap.n_entities == 0:
            return self._by_scores(dense, {"mode": "hipporag1", "fallback": "dense (no query entity linked)"})
        vecs = self.embedder.embed(phrases)
        sims = vecs @ exp.entity_emb.T
        nearest = sims.argmax(axis=1)
        weight = np.zeros(snap.n_entities)
        links = []
        for phrase, v, sim in zip(phrases, nearest, sims.max(axis=1), strict=True):
            weight[v] += 1.0 / max(snap.entity_passage_count[v], 1.0)
            links.append({"phrase": phrase, "entity": exp.entity_names[v], "similarity": round(float(sim), 4)})
        seeds = np.flatnonzero(weight)
        reset = np.zeros(snap.n_vertices)
        reset[seeds] = weight[seeds]
        return self._ppr_ranking(snap, reset, "hipporag1", linked_entities=links, seeds=seeds, seed_weights=weight)

    def _ppr_ranking(
        self, snap: GraphSnapshot, reset: np.ndarray, mode: str, *, seeds: np.ndarray,
        seed_weights: np.ndarray, dense: np.ndarray | None = None, **details: Any,
    ) -> Ranking:
        exp = snap.export
        pagerank = ppr.pagerank(snap, reset, self.settings)
        mass = pagerank.mass
        passage_mass = mass[snap.n_entities :]
        entity_mass = mass[: snap.n_entities]
        top_entities = top_k_stable(entity_mass, 10)
        explanation: dict[str, Any] = {
            "mode": mode,
            **details,
            "seed_entities": [
                {"entity_id": exp.entity_ids[v], "name": exp.entity_names[v], "weight": round(float(seed_weights[v]), 6)}
                for v in seeds
            ],
            "passage_seed_weight": self.settings.passage_weight if mode == "hipporag2" else 0.0,
            "damping": self.settings.damping,
            "pagerank": pagerank.info,
            "top_entities_by_ppr": [
                {"entity_id": exp.entity_ids[v], "name": exp.entity_names[v], "mass": round(float(entity_mass[v]), 6)}
                for v in top_entities if entity_mass[v] > 0
            ],
        }
        beta = self.settings.dense_fusion
        if dense is not None and beta > 0:
            # graph evidence from noisy offline triples is strong but sparse; dense similarity
            # orders the passages the graph leaves undecided
            explanation["dense_fusion"] = beta
            ranking = self._by_scores((1 - beta) * min_max(passage_mass) + beta * min_max(dense), explanation)
        else:
            ranking = self._by_scores(passage_mass, explanation)
        ranking.mass = mass
        return ranking
