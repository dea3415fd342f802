import numpy as np
import pytest

from hippo.bench.synthetic import synthetic_export
from hippo.config import Settings
from hippo.retrieve.local_ppr import LocalBudget, local_ppr
from hippo.retrieve.ppr import chosen_mode, pagerank
from hippo.retrieve.snapshot import GraphSnapshot


@pytest.fixture(scope="module")
def snap() -> GraphSnapshot:
    return GraphSnapshot.build(synthetic_export(20_000, dim=8, seed=3))


def _reset(snap: GraphSnapshot, seed: int = 1) -> np.ndarray:
    rng = np.random.default_rng(seed)
    reset = np.zeros(snap.n_vertices)
    reset[rng.choice(snap.n_entities, 5, replace=False)] = rng.random(5)
    reset[snap.n_entities :] = rng.random(snap.n_passages) * 0.05
    return reset


def test_a_budget_covering_the_graph_gives_exact_ppr(snap: GraphSnapshot) -> None:
    reset = _reset(snap)
    whole = LocalBudget(max_nodes=10**9, max_edges=10**9, max_hops=1000, seed_passages=10**9)
    local = local_ppr(snap, reset, 0.5, whole, tol=1e-12)
    assert np.abs(local.mass - snap.ppr(reset, 0.5)).sum() < 1e-8
    assert local.leaked < 1e-8


def test_a_small_budget_is_a_lower_bound_and_keeps_the_top_passages(snap: GraphSnapshot) -> None:
    reset = _reset(snap, seed=2)
    exact = snap.ppr(reset, 0.5)
    local = local_ppr(snap, reset, 0.5, LocalBudget(max_nodes=2000, seed_passages=200))
    assert local.vertices.size <= 2000 < snap.n_vertices
    assert np.all(local.mass <= exact + 1e-12) and 0 < local.leaked < 1
    top_exact = set(np.argsort(-exact[snap.n_entities :])[:5])
    top_local = set(np.argsort(-local.mass[snap.n_entities :])[:5])
    assert len(top_exact & top_local) >= 4


def test_auto_chooses_by_size_and_explains(snap: GraphSnapshot) -> None:
    small = Settings(ppr_local_min_edges=snap.n_edges)
    big = Settings(ppr_local_min_edges=snap.n_edges - 1)
    assert chosen_mode(snap, small) == "exact" and chosen_mode(snap, big) == "local"
    assert chosen_mode(snap, Settings(ppr_mode="exact", ppr_local_min_edges=0)) == "exact"
    info = pagerank(snap, _reset(snap), big).info
    assert info.mode == "local" and 0 < info.vertices <= big.ppr_local_max_nodes


def test_no_seed_no_mass(snap: GraphSnapshot) -> None:
    result = local_ppr(snap, np.zeros(snap.n_vertices), 0.5, LocalBudget())
    assert result.mass.shape == (snap.n_vertices,) and not result.mass.any()
