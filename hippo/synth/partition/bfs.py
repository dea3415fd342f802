"""Breadth-first growth from seed edges (seeds by loss), without a depth limit: neighbours are
taken in discovery order, not by loss, so subgraphs follow the graph's shape."""

from __future__ import annotations

from collections import deque

from hippo.synth.partition.base import (
    Growth,
    PartitionOptions,
    Priority,
    Subgraph,
    grow_from_seeds,
    register_partitioner,
)
from hippo.synth.topology import Topology


@register_partitioner("bfs")
def bfs(topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    def grow(g: Growth) -> None:
        queue = deque(g.entities)
        while queue and not g.full():
            entity = queue.popleft()
            for f in topo.incident.get(entity, ()):
                reached = g.try_add(f)
                if reached:
                    queue.append(reached)
                if g.full():
                    break

    return grow_from_seeds(topo, priority, opts, "bfs", grow)
