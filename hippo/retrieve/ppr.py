"""Which Personalized PageRank a query runs: exact over the whole graph (igraph's prpack), or
seed-local on a bounded neighbourhood (:mod:`hippo.retrieve.local_ppr`). ``ppr_mode`` chooses;
``auto`` runs exact on graphs up to ``ppr_local_min_edges`` merged edges and local above, where a
whole-graph PageRank per query stops being cheap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from hippo.config import Settings
from hippo.retrieve.explanation import PageRankRun
from hippo.retrieve.local_ppr import LocalBudget, local_ppr
from hippo.retrieve.snapshot import GraphSnapshot

PPR_MODES = ("auto", "exact", "local")


@dataclass
class PageRank:
    mass: np.ndarray  # over every vertex
    info: PageRankRun  # for the explanation: which PageRank ran, and on how much of the graph


def budget_of(settings: Settings) -> LocalBudget:
    return LocalBudget(max_nodes=settings.ppr_local_max_nodes, max_hops=settings.ppr_local_max_hops,
                       seed_passages=settings.ppr_local_seed_passages)


def chosen_mode(snap: GraphSnapshot, settings: Settings) -> str:
    if settings.ppr_mode != "auto":
        return settings.ppr_mode
    return "local" if snap.n_edges > settings.ppr_local_min_edges else "exact"


def pagerank(snap: GraphSnapshot, reset: np.ndarray, settings: Settings) -> PageRank:
    mode = chosen_mode(snap, settings)
    if mode == "exact":
        return PageRank(snap.ppr(reset, settings.damping), PageRankRun("exact", snap.n_vertices))
    result = local_ppr(snap, reset, settings.damping, budget_of(settings))
    return PageRank(result.mass, PageRankRun("local", int(result.vertices.size), hops=result.hops,
                                             leaked=round(result.leaked, 6)))
