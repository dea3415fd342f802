"""Difficulty from loss terciles: subgraphs ranked by their mean unit loss; the top third is
"hard", the bottom third "easy". Ranks, not value cut-offs, so tied losses (common: a trainee
that is equally sure about many units) still split into three groups. Subgraphs without any
scored unit are "unscored"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def subgraph_loss(unit_ids: Iterable[str], losses: Mapping[str, float]) -> float | None:
    known = [losses[u] for u in unit_ids if u in losses]
    return sum(known) / len(known) if known else None


def difficulty_by_rank(losses: Mapping[str, float | None]) -> dict[str, str]:
    """item id -> easy | medium | hard | unscored. Ties keep the mapping's order (stable sort)."""
    scored = [k for k, v in losses.items() if v is not None]
    ranked = sorted(scored, key=lambda k: -(losses[k] or 0.0))
    n = len(ranked)
    out = {k: "unscored" for k, v in losses.items() if v is None}
    for i, k in enumerate(ranked):
        out[k] = "hard" if 3 * i < n else "medium" if 3 * i < 2 * n else "easy"
    return out
