"""Leiden communities of the entity graph (igraph); each community's internal facts form
subgraphs, split breadth-first when a community exceeds the unit or token limit. Facts that
cross communities belong to none — that is what a community partition means."""

from __future__ import annotations

import random
from collections import defaultdict

import igraph as ig

from hippo.synth.partition.base import (
    Growth,
    PartitionOptions,
    Priority,
    Subgraph,
    fact_priority,
    register_partitioner,
)
from hippo.synth.topology import Topology


def communities(topo: Topology, seed: int) -> list[list[str]]:
    index = {e: i for i, e in enumerate(topo.entity_ids)}
    edges = [(index[s], index[o]) for s, o in topo.fact_ends.values() if s != o and s in index and o in index]
    graph = ig.Graph(n=len(index), edges=edges)
    graph.simplify(combine_edges="sum")
    # python-igraph draws its randomness from Python's `random`: seed it for reproducible runs
    state = random.getstate()
    random.seed(seed)
    try:
        parts = graph.community_leiden(objective_function="modularity", n_iterations=-1)
    finally:
        random.setstate(state)
    groups: dict[int, list[str]] = defaultdict(list)
    for vertex, member in enumerate(parts.membership):
        groups[member].append(topo.entity_ids[vertex])
    return [sorted(g) for g in groups.values()]


@register_partitioner("leiden")
def leiden(topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    used: set[str] = set()
    out: list[Subgraph] = []
    scored = []
    for members in communities(topo, opts.seed):
        inside = set(members)
        facts = sorted(
            {f for e in members for f in topo.incident.get(e, ()) if set(topo.fact_ends[f]) <= inside}
        )
        if not facts:
            continue
        mean = sum(fact_priority(topo, priority, f) for f in facts) / len(facts)
        scored.append((-mean, facts[0], facts))
    for _, _, facts in sorted(scored):
        ranked = sorted(facts, key=lambda f: (-fact_priority(topo, priority, f), f))
        members_facts = set(facts)
        for seed in ranked:
            if seed in used:
                continue
            g = Growth(topo, opts, used, seed)
            queue = list(g.entities)
            while queue and not g.full():
                entity = queue.pop(0)
                for f in topo.incident.get(entity, ()):
                    if f in members_facts:
                        reached = g.try_add(f)
                        if reached:
                            queue.append(reached)
            out.append(g.done("leiden", seed))
    return out
