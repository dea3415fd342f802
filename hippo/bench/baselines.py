"""The non-graph baselines every graph mode is measured against: BM25 (bm25s), dense cosine
search over the very passage embeddings the graph modes use, and their reciprocal-rank fusion."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

# the systems this module provides, by the names a benchmark run lists them
BASELINES = ("bm25", "dense", "hybrid")

# RRF's customary constant: damps the weight of the very first ranks so that one list alone
# cannot dominate the fusion
RRF_K = 60


class BM25Index:
    """Okapi BM25 over a fixed list of texts (bm25s, English stopwords, no stemming)."""

    def __init__(self, texts: Sequence[str]) -> None:
        import bm25s

        self._bm25s = bm25s
        self.size = len(texts)
        self._retriever = bm25s.BM25()
        tokens = bm25s.tokenize(list(texts), return_ids=False, show_progress=False)
        self._retriever.index(tokens, show_progress=False)

    def search(self, query: str, k: int) -> list[tuple[int, float]]:
        """(text index, score) best first; texts sharing no term with the query are left out
        rather than ranked arbitrarily."""
        k = min(k, self.size)
        if k <= 0:
            return []
        tokens = self._bm25s.tokenize([query], return_ids=False, show_progress=False)
        if not tokens[0]:
            return []
        docs, scores = self._retriever.retrieve(tokens, k=k, show_progress=False, n_threads=1)
        return [(int(d), float(s)) for d, s in zip(docs[0], scores[0], strict=True) if s > 0]


def dense_search(query_vec: np.ndarray, matrix: np.ndarray, k: int) -> list[tuple[int, float]]:
    """Cosine top-k; rows of ``matrix`` and ``query_vec`` are unit vectors."""
    if matrix.shape[0] == 0 or k <= 0:
        return []
    scores = matrix @ query_vec.astype(matrix.dtype, copy=False)
    k = min(k, scores.shape[0])
    top = np.argpartition(-scores, k - 1)[:k]
    order = top[np.argsort(-scores[top], kind="stable")]
    return [(int(i), float(scores[i])) for i in order]


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k_const: int = RRF_K) -> list[str]:
    """Fuse rankings by summing 1 / (k_const + rank); ties keep first-seen order."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k_const + rank)
    order = {key: i for i, key in enumerate(scores)}
    return sorted(scores, key=lambda key: (-scores[key], order[key]))
