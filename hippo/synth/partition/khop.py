"""k-hop expansion from seed edges (GraphGen's partitioner): seeds in order of loss, each round
adds the unused facts touching the frontier, highest loss first, until depth, units or tokens
run out."""

from __future__ import annotations

from hippo.synth.partition.base import (
    Growth,
    PartitionOptions,
    Priority,
    Subgraph,
    fact_priority,
    grow_from_seeds,
    register_partitioner,
)
from hippo.synth.topology import Topology


@register_partitioner("khop")
def khop(topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    def grow(g: Growth) -> None:
        frontier = list(g.entities)
        for _ in range(opts.max_depth - 1):
            if g.full() or not frontier:
                break
            touching = {f for e in frontier for f in topo.incident.get(e, ()) if f not in g.used}
            ranked = sorted(touching, key=lambda f: (-fact_priority(topo, priority, f), f))
            nxt: list[str] = []
            for f in ranked:
                reached = g.try_add(f)
                if reached:
                    nxt.append(reached)
                if g.full():
                    break
            frontier = nxt

    return grow_from_seeds(topo, priority, opts, "khop", grow)
