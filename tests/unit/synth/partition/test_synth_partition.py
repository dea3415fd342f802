"""Partitioners on the small test graph: edge-disjoint, within limits, seeded by loss."""

from __future__ import annotations

from collections import Counter

import pytest

from hippo.store.sqlite import SQLiteStore
from hippo.synth.partition import PARTITIONERS, PartitionOptions, partition
from hippo.synth.partition.base import fact_priority
from hippo.synth.topology import Topology
from hippo.text import entity_id
from tests.unit.synth.test_synth_topology import build_graph, fid


@pytest.fixture(scope="module")
def topo(tmp_path_factory: pytest.TempPathFactory) -> Topology:
    store = SQLiteStore(tmp_path_factory.mktemp("part") / "g.db")
    build_graph(store, "ns")
    try:
        return Topology.from_store(store, "ns")
    finally:
        store.close()


@pytest.mark.parametrize("name", sorted(PARTITIONERS))
def test_subgraphs_are_edge_disjoint_and_within_limits(topo: Topology, name: str) -> None:
    opts = PartitionOptions(max_depth=2, max_units=5, max_tokens=1000, seed=1)
    subgraphs = partition(name, topo, {}, opts)
    assert subgraphs
    counts = Counter(f for sg in subgraphs for f in sg.fact_ids)
    assert max(counts.values()) == 1
    for sg in subgraphs:
        assert len(sg.unit_ids) <= 5
        for f in sg.fact_ids:  # every fact's ends are in its subgraph
            assert set(topo.fact_ends[f]) <= set(sg.entity_ids)
    assert len({sg.id for sg in subgraphs}) == len(subgraphs)


def test_khop_seeds_follow_loss_and_depth(topo: Topology) -> None:
    hot = fid("Anselm Roe", "was born in", "Pellin")
    priority = {hot: 9.0, fid("Pellin", "is on", "Skarn River"): 5.0}
    subgraphs = partition("khop", topo, priority, PartitionOptions(max_depth=2, max_units=20))
    assert subgraphs[0].seed_unit == hot
    # depth 2: the seed edge plus facts touching its ends — Pellin's river and Roe's novel
    assert set(subgraphs[0].fact_ids) == {hot, fid("Pellin", "is on", "Skarn River"), fid("Anselm Roe", "wrote", "The Orchard Keeper's Daughter")}
    one_hop = partition("khop", topo, priority, PartitionOptions(max_depth=1, max_units=20))
    assert one_hop[0].fact_ids == [hot]
    seeds = [fact_priority(topo, priority, sg.seed_unit) for sg in subgraphs]
    assert seeds == sorted(seeds, reverse=True)


def test_token_budget_limits_growth(topo: Topology) -> None:
    subgraphs = partition("bfs", topo, {}, PartitionOptions(max_units=50, max_tokens=8))
    assert all(len(sg.fact_ids) == 1 for sg in subgraphs)


def test_dfs_is_reproducible_per_seed(topo: Topology) -> None:
    a = partition("dfs", topo, {}, PartitionOptions(max_units=7, seed=3))
    b = partition("dfs", topo, {}, PartitionOptions(max_units=7, seed=3))
    assert [sg.fact_ids for sg in a] == [sg.fact_ids for sg in b]


def test_path2_chains_really_take_two_hops(topo: Topology) -> None:
    subgraphs = partition("path2", topo, {}, PartitionOptions())
    assert subgraphs
    for sg in subgraphs:
        assert sg.chain is not None and len(sg.fact_ids) == 2
        assert topo.shortest_hops(sg.chain[0], sg.chain[2]) == 2


def test_leiden_keeps_communities_apart(topo: Topology) -> None:
    subgraphs = partition("leiden", topo, {}, PartitionOptions(max_units=30))
    roe_side = {entity_id("Anselm Roe"), entity_id("Pellin")}
    tolvik_side = {entity_id("Maren Tolvik"), entity_id("Ostravel")}
    for sg in subgraphs:  # the two connected components never share a community
        assert not (roe_side & set(sg.entity_ids) and tolvik_side & set(sg.entity_ids))
