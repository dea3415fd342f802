"""Personalized PageRank three ways on the same undirected weighted graph, to check that igraph's
prpack (what Hippo uses) is both right and fast: networkx, and a plain scipy sparse power iteration
as the "how fast can a simple vectorised loop go" yardstick."""

from __future__ import annotations

from typing import Any

import igraph as ig
import numpy as np
import scipy.sparse as sp


def igraph_ppr(graph: ig.Graph, reset: np.ndarray, damping: float) -> np.ndarray:
    scores = graph.personalized_pagerank(
        directed=False, damping=damping, reset=reset.tolist(), weights="weight", implementation="prpack"
    )
    return np.asarray(scores)


class SparsePowerIteration:
    """x = (1 - d) r + d (P^T x + dangling mass · r), P row-normalised; built once per graph."""

    def __init__(self, graph: ig.Graph) -> None:
        n = graph.vcount()
        edges = np.asarray(graph.get_edgelist(), dtype=np.int64).reshape(-1, 2)
        weights = np.asarray(graph.es["weight"], dtype=np.float64) if graph.ecount() else np.zeros(0)
        rows = np.concatenate([edges[:, 0], edges[:, 1]])
        cols = np.concatenate([edges[:, 1], edges[:, 0]])
        vals = np.concatenate([weights, weights])
        adjacency = sp.csr_matrix((vals, (rows, cols)), shape=(n, n))
        strength = np.asarray(adjacency.sum(axis=1)).ravel()
        self.dangling = strength == 0
        inverse = np.divide(1.0, strength, out=np.zeros(n), where=strength > 0)
        # transpose once so each iteration is one CSR mat-vec
        self.transition_t = (sp.diags(inverse) @ adjacency).T.tocsr()

    def run(self, reset: np.ndarray, damping: float, tol: float = 1e-10, max_iter: int = 200) -> np.ndarray:
        r = reset / reset.sum()
        x = r.copy()
        for _ in range(max_iter):
            nxt = damping * (self.transition_t @ x) + (damping * x[self.dangling].sum() + 1.0 - damping) * r
            if np.abs(nxt - x).sum() < tol:
                return np.asarray(nxt)
            x = nxt
        return np.asarray(x)


def networkx_graph(graph: ig.Graph) -> Any:
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(range(graph.vcount()))
    g.add_weighted_edges_from(
        (u, v, w) for (u, v), w in zip(graph.get_edgelist(), graph.es["weight"], strict=True)
    )
    return g


def networkx_personalization(reset: np.ndarray) -> dict[int, float]:
    """The reset vector as networkx takes it (non-zero entries only)."""
    return {int(i): float(reset[i]) for i in np.flatnonzero(reset)}


def networkx_pagerank(g: Any, personalization: dict[int, float], damping: float, pure_python: bool = False) -> dict[int, float]:
    """networkx's own pagerank (scipy-backed since networkx 3, which converts the graph to a
    scipy matrix on every call) or its pure-Python reference version; what the benchmark times."""
    import networkx as nx

    if pure_python:
        from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

        return _pagerank_python(  # type: ignore[no-any-return]
            g, alpha=damping, personalization=personalization, weight="weight",
            dangling=personalization, tol=1e-10, max_iter=200,
        )
    return nx.pagerank(  # type: ignore[no-any-return]
        g, alpha=damping, personalization=personalization, weight="weight",
        dangling=personalization, tol=1e-10, max_iter=200,
    )


def networkx_ppr(g: Any, reset: np.ndarray, damping: float, pure_python: bool = False) -> np.ndarray:
    """networkx_pagerank with vectors in and out, for comparing results."""
    result = networkx_pagerank(g, networkx_personalization(reset), damping, pure_python)
    out = np.zeros(g.number_of_nodes())
    for node, score in result.items():
        out[node] = score
    return out
