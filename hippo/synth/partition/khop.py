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
    register_partitioner,
    seeds_by_priority,
)
from hippo.synth.topology import Topology


@register_partitioner("khop")
def khop(topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    used: set[str] = set()
    out: list[Subgraph] = []
    for seed in seeds_by_priority(topo, priority):
        if seed in used:
            continue
        g = Growth(topo, opts, used, seed)
        frontier = list(g.entities)
        for _ in range(opts.max_depth - 1):
            if g.full() or not frontier:
                break
            touching = {f for e in frontier for f in topo.incident.get(e, ()) if f not in used}
            ranked = sorted(touching, key=lambda f: (-fact_priority(topo, priority, f), f))
            nxt: list[str] = []
            for f in ranked:
                reached = g.try_add(f)
                if reached:
                    nxt.append(reached)
                if g.full():
                    break
            frontier = nxt
        out.append(g.done("khop", seed))
    return out
