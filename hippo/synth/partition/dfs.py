"""Depth-first random walks from seed edges (seeds by loss): at each entity the walk takes a
random unused fact onward and backtracks when stuck. Seeded, so reruns give the same walks."""

from __future__ import annotations

import random

from hippo.synth.partition.base import (
    Growth,
    PartitionOptions,
    Priority,
    Subgraph,
    grow_from_seeds,
    register_partitioner,
)
from hippo.synth.topology import Topology


@register_partitioner("dfs")
def dfs(topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    rng = random.Random(opts.seed)

    def grow(g: Growth) -> None:
        stack = [rng.choice(g.entities)]
        while stack and not g.full():
            here = stack[-1]
            options = [f for f in topo.incident.get(here, ()) if f not in g.used]
            if not options:
                stack.pop()
                continue
            f = rng.choice(options)
            if g.try_add(f) is None:
                # does not fit the limits: stop this walk rather than skip around the limit
                break
            stack.append(topo.other_end(f, here))

    return grow_from_seeds(topo, priority, opts, "dfs", grow)
