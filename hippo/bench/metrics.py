"""Retrieval metrics over ranked keys (document ids or titles) and gold keys."""

from __future__ import annotations

from collections.abc import Sequence


def recall_at_k(ranked: Sequence[str], gold: Sequence[str], k: int) -> float:
    """Share of gold keys present in the first k ranked keys (0..1). No gold: 0 — a question whose
    gold cannot be found in the corpus is reported separately, not scored as a success."""
    if not gold:
        return 0.0
    top = set(ranked[:k])
    return sum(1 for g in set(gold) if g in top) / len(set(gold))


def all_evidence_at_k(ranked: Sequence[str], gold: Sequence[str], k: int) -> bool:
    """Every gold key in the first k (fast-graphrag's headline metric)."""
    if not gold:
        return False
    top = set(ranked[:k])
    return all(g in top for g in gold)


def dedupe(keys: Sequence[str]) -> list[str]:
    """First occurrence of each key, order kept: chunks of one document rank once."""
    seen: set[str] = set()
    out: list[str] = []
    for key in keys:
        if key and key not in seen:
            seen.add(key)
            out.append(key)
    return out


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Linear-interpolated percentile, q in [0, 100]."""
    if not values:
        return 0.0
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (pos - lo)
