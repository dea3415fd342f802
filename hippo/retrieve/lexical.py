"""BM25 over the passages, read from the retrieval layer's sentences: the lexical half of the
``bridge`` mode's passage prior.

Dense similarity blurs what a question says exactly — a rare surname, a year, a title word — and
BM25 keeps it; mixed into the passage seeds it lifts what both agree on (measured in the README's
Benchmarks). The index is built with the bridge layout (once per store version) and saved beside
it, so a query reads only the postings of its own terms: its cost follows the query's terms, not
the corpus. Terms are the words of ``normalize_phrase`` (any script), minus English stopwords and
one-letter ASCII words, identified by a 64-bit hash so no vocabulary has to be loaded: the sorted
hashes are searched with ``np.searchsorted``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import numpy as np
from bm25s.stopwords import STOPWORDS_EN
from scipy import sparse

from hippo.text import normalize_phrase

# Okapi BM25's customary constants (as Lucene and bm25s use them)
K1 = 1.5
B = 0.75

# the English stopwords of the bm25 baseline the benchmarks compare against
STOPWORDS = frozenset(STOPWORDS_EN)


def terms(text: str) -> list[str]:
    return [w for w in normalize_phrase(text).split() if w not in STOPWORDS and not (len(w) == 1 and w.isascii())]


def term_hashes(words: Iterable[str]) -> np.ndarray:
    return np.fromiter(
        (int.from_bytes(hashlib.blake2b(w.encode(), digest_size=8).digest(), "little") for w in words),
        dtype=np.uint64,
    )


class LexicalIndex:
    """BM25 weight of every (term, passage) pair, by term: ``indptr`` over the sorted ``term_ids``."""

    def __init__(self, term_ids: np.ndarray, indptr: np.ndarray, passages: np.ndarray, weights: np.ndarray,
                 n_passages: int) -> None:
        self.term_ids, self.indptr, self.passages, self.weights = term_ids, indptr, passages, weights
        self.n_passages = n_passages

    @classmethod
    def build(cls, sentence_texts: Sequence[str], sentence_passage: np.ndarray, n_passages: int) -> LexicalIndex:
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for text, p in zip(sentence_texts, sentence_passage.tolist(), strict=True):
            for w in terms(text):
                rows.append(p)
                cols.append(vocab.setdefault(w, len(vocab)))
        if not vocab:
            return cls(np.zeros(0, np.uint64), np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float32),
                       n_passages)
        tf = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_passages, len(vocab)))
        tf.sum_duplicates()
        length = np.asarray(tf.sum(axis=1)).ravel()
        avg = float(length[length > 0].mean()) if np.any(length > 0) else 1.0
        coo = tf.tocoo()
        df = np.bincount(coo.col, minlength=len(vocab)).astype(np.float64)
        n_docs = float(np.count_nonzero(length))
        idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
        norm = K1 * (1.0 - B + B * length[coo.row] / avg)
        weight = idf[coo.col] * coo.data * (K1 + 1.0) / (coo.data + norm)
        hashes = term_hashes(vocab)
        order = np.argsort(hashes)
        by_term = sparse.csc_matrix((weight, (coo.row, coo.col)), shape=tf.shape)[:, order]
        by_term.sort_indices()
        return cls(hashes[order], by_term.indptr.astype(np.int64), by_term.indices.astype(np.int64),
                   by_term.data.astype(np.float32), n_passages)

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage for the query's distinct terms (0 where none occurs)."""
        out = np.zeros(self.n_passages)
        if self.term_ids.size == 0:
            return out
        wanted = term_hashes(dict.fromkeys(terms(query)))
        at = np.searchsorted(self.term_ids, wanted)
        for t, h in zip(at.tolist(), wanted.tolist(), strict=True):
            if t < self.term_ids.size and int(self.term_ids[t]) == h:
                lo, hi = int(self.indptr[t]), int(self.indptr[t + 1])
                # a passage appears once in a term's postings
                out[self.passages[lo:hi]] += self.weights[lo:hi]
        return out

    def arrays(self) -> dict[str, np.ndarray]:
        return {"lex_terms": self.term_ids, "lex_indptr": self.indptr, "lex_passages": self.passages,
                "lex_weights": self.weights}

    @classmethod
    def from_arrays(cls, a: dict[str, np.ndarray], n_passages: int) -> LexicalIndex:
        return cls(a["lex_terms"], a["lex_indptr"], a["lex_passages"], a["lex_weights"], n_passages)
