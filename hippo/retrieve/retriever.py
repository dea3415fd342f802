"""The query path (job 2): embed the query once, let the mode's policy rank the snapshot's
passages (``hippo.retrieve.policies``), read the top passages, and explain the ranking.

Everything that does not depend on the query (graph, embedding matrices, node specificity) lives
in the snapshot, built once per store version; a query costs the dense passage scores (a
matrix-vector product), a top-k fact search (an HNSW index above ``ann_min_rows`` facts,
``hippo.retrieve.ann``), a PageRank and one passage read.
"""

from __future__ import annotations

from dataclasses import replace

from hippo.config import Settings
from hippo.embed import Embedder
from hippo.retrieve.ann import PASSAGE_CANDIDATES, AnnConfig
from hippo.retrieve.explanation import RetrievalExplanation
from hippo.retrieve.policies.base import FactFilter, Query, RetrievalPolicy
from hippo.retrieve.policies.registry import policy_class
from hippo.retrieve.ranking import Ranking
from hippo.retrieve.snapshot import PASSAGE, GraphSnapshot, StaleSnapshot, one_thread
from hippo.retrieve.snapshot_cache import SnapshotCache
from hippo.store.base import GraphStore
from hippo.types import Hit, QueryResult

__all__ = ["FactFilter", "Retriever"]


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
        self.snapshots = snapshots or SnapshotCache(ann=AnnConfig.of(settings))
        self.fact_filter = fact_filter
        self._policies: dict[str, RetrievalPolicy] = {}

    def snapshot(self, ns: str) -> GraphSnapshot:
        return self.snapshots.get(self.store, ns)

    def policy(self, mode: str) -> RetrievalPolicy:
        """The policy of ``mode`` (ValueError naming the modes when there is none)."""
        policy = self._policies.get(mode)
        if policy is None:
            policy = self._policies[mode] = policy_class(mode)(self.settings, self.embedder, self.fact_filter)
        return policy

    def query(self, ns: str, text: str, top_k: int = 5, mode: str | None = None) -> QueryResult:
        return self.query_ranked(ns, text, top_k, mode)[0]

    def query_ranked(
        self, ns: str, text: str, top_k: int = 5, mode: str | None = None
    ) -> tuple[QueryResult, GraphSnapshot | None, Ranking | None]:
        """The query's result plus the snapshot and ranking it came from (PPR mass included), for
        callers that draw or read the graph behind the answer without running PageRank again."""
        mode = mode or self.settings.retrieval_mode
        self.policy(mode)  # an unknown mode fails before any work
        # A write that commits between the snapshot and the passage read can delete ranked
        # passages; rank again on the new snapshot instead of answering with half a result.
        for _ in range(5):
            snap = self.snapshot(ns)
            if snap.n_passages == 0:
                empty = RetrievalExplanation(reason="the namespace is empty")
                return QueryResult(query=text, mode=mode, hits=[], explanation=empty), None, None
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
        explanation = replace(ranking.explanation, graph_version=snap.version)
        return QueryResult(query=text, mode=mode, hits=hits, explanation=explanation), snap, ranking

    def rank(self, snap: GraphSnapshot, text: str, mode: str) -> Ranking:
        vector = self.embedder.embed_query(text)
        with one_thread():
            dense = snap.vector_index(PASSAGE).all_scores(vector, PASSAGE_CANDIDATES)
            return self.policy(mode).rank(snap, Query(text, vector, dense))
