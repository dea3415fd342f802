"""Seed-local Personalized PageRank: PageRank in igraph on a bounded neighbourhood of the seeds,
read from the snapshot's CSR adjacency, so a query's cost follows the neighbourhood, not the graph.

The neighbourhood grows hop by hop from the seeds (the entities and top passages of the reset
vector), keeping at each hop the vertices an estimate of the walk's mass reaches most (one step of
the push propagation: d · mass(u) · w(u,v) / strength(u)), to ``max_nodes`` vertices, expanding at
most ``max_edges`` adjacency entries per hop (hubs spread so thinly that their far ends rarely
matter).

On that subgraph the walk is the exact one, except that every step leaving it falls into one
absorbing sink vertex: the mass of each inside vertex is then the share of walks that stay inside,
a lower bound of its exact PPR mass (walks that leave and come back are lost). Vertices outside get
their own teleport share, ``(1 - d) · reset``, also a lower bound. With damping 0.5 a walk takes
more than h steps with probability 0.5^h, so a few hops hold almost all the mass; ``leaked`` (the
sink's share) says how much did not stay, per query.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from hippo.retrieve.snapshot import GraphSnapshot


@dataclass(frozen=True)
class LocalBudget:
    max_nodes: int = 20_000
    max_edges: int = 400_000  # adjacency entries read per hop
    max_hops: int = 3
    seed_passages: int = 200  # the passages with the largest reset weight that seed the walk


@dataclass
class LocalResult:
    mass: np.ndarray  # over every vertex, on the scale of the exact PPR with the same reset
    vertices: np.ndarray  # the neighbourhood (sorted vertex indices)
    leaked: float  # share of the local walk's mass that left the neighbourhood
    hops: int


def _degrees(indptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    return np.asarray(indptr[rows + 1], dtype=np.int64) - np.asarray(indptr[rows], dtype=np.int64)


def _ranges(indptr: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Positions indptr[r]..indptr[r+1]-1 of every row, concatenated."""
    starts = np.asarray(indptr[rows], dtype=np.int64)
    counts = np.asarray(indptr[rows + 1], dtype=np.int64) - starts
    total = int(counts.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    positions: np.ndarray = np.arange(total, dtype=np.int64) + shift
    return positions


def seed_vertices(snap: GraphSnapshot, reset: np.ndarray, seed_passages: int) -> np.ndarray:
    """Every non-passage vertex with reset weight, plus the ``seed_passages`` heaviest passages."""
    passages = snap.kind_range("passage")
    others = np.flatnonzero(reset > 0)
    others = others[(others < passages.start) | (others >= passages.stop)]
    p_reset = reset[passages.start : passages.stop]
    k = min(seed_passages, int(np.count_nonzero(p_reset > 0)))
    top = np.argpartition(-p_reset, k - 1)[:k] + passages.start if k > 0 else np.zeros(0, dtype=np.int64)
    return np.union1d(others, top).astype(np.int64)


def neighbourhood(snap: GraphSnapshot, seeds: np.ndarray, seed_mass: np.ndarray, damping: float,
                  budget: LocalBudget) -> tuple[np.ndarray, int]:
    """(sorted vertices of the neighbourhood, hops expanded)."""
    indptr, indices, weights = snap.indptr, snap.indices, snap.weights
    strength = snap.strength
    member = np.zeros(snap.n_vertices, dtype=bool)
    member[seeds] = True
    count = int(member.sum())
    frontier: np.ndarray = seeds
    mass: np.ndarray = seed_mass / max(float(seed_mass.sum()), 1e-300)
    hops = 0
    for _ in range(budget.max_hops):
        room = budget.max_nodes - count
        if room <= 0 or frontier.size == 0:
            break
        # the heaviest frontier vertices first, until the hop's adjacency budget is spent
        order = np.argsort(-mass, kind="stable")
        degree = _degrees(indptr, frontier[order])
        fits = np.cumsum(degree) <= budget.max_edges
        fits[0] = True
        frontier, mass, degree = frontier[order][fits], mass[order][fits], degree[fits]
        positions = _ranges(indptr, frontier)
        if positions.size == 0:
            break
        per_edge = np.repeat(damping * mass / np.maximum(np.asarray(strength[frontier]), 1e-300), degree)
        targets = np.asarray(indices[positions], dtype=np.int64)
        fresh = ~member[targets]
        targets = targets[fresh]
        pushed = (per_edge * np.asarray(weights[positions]))[fresh]
        candidates, inverse = np.unique(targets, return_inverse=True)
        candidate_mass = np.bincount(inverse, weights=pushed, minlength=candidates.size)
        hops += 1
        if candidates.size > room:
            keep = np.argpartition(-candidate_mass, room - 1)[:room]
            candidates, candidate_mass = candidates[keep], candidate_mass[keep]
        member[candidates] = True
        count += int(candidates.size)
        frontier, mass = candidates, candidate_mass
    return np.flatnonzero(member), hops


def local_ppr(snap: GraphSnapshot, reset: np.ndarray, damping: float, budget: LocalBudget,
              tol: float = 1e-7, max_iter: int = 200) -> LocalResult:
    reset = np.asarray(reset, dtype=np.float64)
    n = snap.n_vertices
    if n == 0 or not np.any(reset > 0):
        return LocalResult(mass=np.zeros(n), vertices=np.zeros(0, dtype=np.int64), leaked=0.0, hops=0)
    seeds = seed_vertices(snap, reset, budget.seed_passages)
    vertices, hops = neighbourhood(snap, seeds, reset[seeds], damping, budget)
    s = vertices.size
    positions = _ranges(snap.indptr, vertices)
    rows = np.repeat(np.arange(s, dtype=np.int64), _degrees(snap.indptr, vertices))
    targets = np.asarray(snap.indices[positions], dtype=np.int64)
    w = np.asarray(snap.weights[positions], dtype=np.float64)
    # vertex -> position in the neighbourhood, valid where ``member`` says so (no per-query search)
    member = np.zeros(n, dtype=bool)
    member[vertices] = True
    where = np.empty(n, dtype=np.int64)
    where[vertices] = np.arange(s)
    inside = member[targets]
    local = where[targets[inside]]
    # P_in[u, v] = w(u, v) / strength(u) over inside pairs only: a step leaving the neighbourhood
    # ends that walk (the absorbing sink), so the mass is that of walks that stay inside
    share = w[inside] / np.maximum(np.asarray(snap.strength)[vertices][rows[inside]], 1e-300)
    step_t = sp.csr_matrix((share, (local, rows[inside])), shape=(s, s))
    local_reset = reset[vertices]
    total = float(local_reset.sum())
    start = (1.0 - damping) * local_reset / total
    scores = start.copy()
    for _ in range(max_iter):
        nxt = start + damping * (step_t @ scores)
        done = float(np.abs(nxt - scores).sum()) < tol
        scores = nxt
        if done:
            break
    leaked = 1.0 - float(scores.sum())
    # on the scale of the exact PPR of the whole reset vector (igraph normalises every reset to 1):
    # outside the neighbourhood a vertex keeps its teleport share alone
    whole = float(reset.sum())
    mass = (1.0 - damping) / whole * reset
    mass[vertices] = scores * (total / whole)
    return LocalResult(mass=mass, vertices=vertices, leaked=leaked, hops=hops)
