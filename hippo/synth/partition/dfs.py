"""Depth-first random walks from seed edges (seeds by loss): at each entity the walk takes a
random unused fact onward and backtracks when stuck. Seeded, so reruns give the same walks."""

from __future__ import annotations

import random

from hippo.synth.partition.base import (
    Growth,
    PartitionOptions,
    Priority,
    Subgraph,
    register_partitioner,
    seeds_by_priority,
)
from hippo.synth.topology import Topology


@register_partitioner("dfs")
def dfs(topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    rng = random.Random(opts.seed)
    used: set[str] = set()
    out: list[Subgraph] = []
    for seed in seeds_by_priority(topo, priority):
        if seed in used:
            continue
        g = Growth(topo, opts, used, seed)
        stack = [rng.choice(g.entities)]
        while stack and not g.full():
            here = stack[-1]
            options = [f for f in topo.incident.get(here, ()) if f not in used]
            if not options:
                stack.pop()
                continue
            f = rng.choice(options)
            if g.try_add(f) is None:
                # does not fit the limits: stop this walk rather than skip around the limit
                break
            stack.append(topo.other_end(f, here))
        out.append(g.done("dfs", seed))
    return out
