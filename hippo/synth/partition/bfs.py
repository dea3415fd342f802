"""Breadth-first growth from seed edges (seeds by loss), without a depth limit: neighbours are
taken in discovery order, not by loss, so subgraphs follow the graph's shape."""

from __future__ import annotations

from collections import deque

from hippo.synth.partition.base import (
    Growth,
    PartitionOptions,
    Priority,
    Subgraph,
    register_partitioner,
    seeds_by_priority,
)
from hippo.synth.topology import Topology


@register_partitioner("bfs")
def bfs(topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    used: set[str] = set()
    out: list[Subgraph] = []
    for seed in seeds_by_priority(topo, priority):
        if seed in used:
            continue
        g = Growth(topo, opts, used, seed)
        queue = deque(g.entities)
        while queue and not g.full():
            entity = queue.popleft()
            for f in topo.incident.get(entity, ()):
                reached = g.try_add(f)
                if reached:
                    queue.append(reached)
                if g.full():
                    break
        out.append(g.done("bfs", seed))
    return out
