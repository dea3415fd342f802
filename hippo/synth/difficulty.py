"""Difficulty from loss terciles: a subgraph whose mean unit loss is in the top third of all unit
losses is "hard", the bottom third "easy". Without any losses the difficulty is "unscored"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np


class Terciles:
    def __init__(self, losses: Iterable[float]) -> None:
        values = np.asarray(list(losses), dtype=float)
        self.scored = values.size > 0
        if self.scored:
            self.low, self.high = (float(x) for x in np.quantile(values, [1 / 3, 2 / 3]))

    def label(self, loss: float | None) -> str:
        if not self.scored or loss is None:
            return "unscored"
        if loss <= self.low:
            return "easy"
        if loss <= self.high:
            return "medium"
        return "hard"


def subgraph_loss(unit_ids: Iterable[str], losses: Mapping[str, float]) -> float | None:
    known = [losses[u] for u in unit_ids if u in losses]
    return sum(known) / len(known) if known else None
