"""Diversity metrics of a synthetic dataset: distinct-n, MTLD, embedding dispersion."""

from __future__ import annotations

import re

import numpy as np

_WORD = re.compile(r"\w+", re.UNICODE)
MTLD_THRESHOLD = 0.72  # McCarthy & Jarvis' type-token-ratio cut-off


def words(text: str) -> list[str]:
    return [w.casefold() for w in _WORD.findall(text)]


def distinct_n(texts: list[str], n: int) -> float:
    """Distinct n-grams over all n-grams of all texts (0 when there are none)."""
    grams: list[tuple[str, ...]] = []
    for text in texts:
        toks = words(text)
        grams.extend(tuple(toks[i : i + n]) for i in range(len(toks) - n + 1))
    return len(set(grams)) / len(grams) if grams else 0.0


def _mtld_pass(tokens: list[str], threshold: float) -> float:
    factors = 0.0
    types: set[str] = set()
    count = 0
    ttr = 1.0
    for tok in tokens:
        count += 1
        types.add(tok)
        ttr = len(types) / count
        if ttr <= threshold:
            factors += 1
            types, count, ttr = set(), 0, 1.0
    if count:
        factors += (1.0 - ttr) / (1.0 - threshold)
    return len(tokens) / factors if factors > 0 else float(len(tokens))


def mtld(texts: list[str], threshold: float = MTLD_THRESHOLD) -> float:
    """Measure of textual lexical diversity: mean of the forward and backward passes over the
    concatenated token stream."""
    tokens = [t for text in texts for t in words(text)]
    if not tokens:
        return 0.0
    return (_mtld_pass(tokens, threshold) + _mtld_pass(tokens[::-1], threshold)) / 2


def dispersion(vectors: np.ndarray) -> float:
    """Mean pairwise cosine distance of unit rows (0 = all identical); 0 for fewer than 2."""
    n = vectors.shape[0]
    if n < 2:
        return 0.0
    sims = vectors @ vectors.T
    mean_sim = (float(sims.sum()) - float(np.trace(sims))) / (n * (n - 1))
    return float(1.0 - mean_sim)
