"""Deduplication: the same question after normalisation, or a near-duplicate pair by sentence
embedding (cosine at or above a threshold), is rejected."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from hippo.embed import Embedder
from hippo.text import normalize_phrase


def pair_key(question: str) -> str:
    return normalize_phrase(question)


def pair_text(question: str, answer: str) -> str:
    return f"{question}\n{answer}"


class Deduper:
    def __init__(self, embedder: Embedder | None, threshold: float = 0.95) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self.keys: set[str] = set()
        self._vectors: list[np.ndarray] = []
        self._matrix: np.ndarray | None = None

    def seed(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Remember pairs already written (a resumed run)."""
        pairs = list(pairs)
        self.keys.update(pair_key(q) for q, _ in pairs)
        if self.embedder is not None and pairs:
            self._vectors.extend(self.embedder.embed([pair_text(q, a) for q, a in pairs]))
            self._matrix = None

    def problem(self, question: str, answer: str) -> tuple[str | None, np.ndarray | None]:
        """(rejection reason or None, the pair's embedding to pass to ``add``)."""
        if pair_key(question) in self.keys:
            return "duplicate", None
        if self.embedder is None:
            return None, None
        vec = self.embedder.embed([pair_text(question, answer)])[0]
        if self._vectors:
            if self._matrix is None:
                self._matrix = np.vstack(self._vectors)
            if float(np.max(self._matrix @ vec)) >= self.threshold:
                return "near_duplicate", None
        return None, vec

    def add(self, question: str, vec: np.ndarray | None) -> None:
        self.keys.add(pair_key(question))
        if vec is not None:
            self._vectors.append(vec)
            self._matrix = None
