"""Two-hop paths A –f1– B –f2– C where A and C share no fact and f1 and f2 no passage, so a
question from A to C really needs both facts. Bridges are taken in order of their chains' loss;
paths are edge-disjoint."""

from __future__ import annotations

from hippo.synth.partition.base import (
    PartitionOptions,
    Priority,
    Subgraph,
    fact_priority,
    register_partitioner,
)
from hippo.synth.topology import Topology


def directly_linked(topo: Topology, a: str, c: str) -> bool:
    return any(topo.other_end(f, a) == c for f in topo.incident.get(a, ()))


def siblings(topo: Topology, bridge: str, f1: str, f2: str) -> bool:
    """Do both facts give the bridge the same role ("X published by B", "Y published by B")? Then
    A and C are siblings and the path asks "what else did the publisher of X publish?", which has
    as many answers as B has such facts."""
    same_end = (topo.fact_ends[f1][0] == bridge) == (topo.fact_ends[f2][0] == bridge)
    return same_end and topo.predicate(f1).lower() == topo.predicate(f2).lower()


@register_partitioner("path2")
def path2(topo: Topology, priority: Priority, opts: PartitionOptions) -> list[Subgraph]:
    candidates: list[tuple[float, str, str, str, str, str]] = []
    for bridge in topo.entity_ids:
        facts = topo.incident.get(bridge, [])
        for i, f1 in enumerate(facts):
            a = topo.other_end(f1, bridge)
            if a == bridge:
                continue
            for f2 in facts[i + 1 :]:
                c = topo.other_end(f2, bridge)
                if c in (bridge, a) or directly_linked(topo, a, c):
                    continue
                # two facts of one passage make a question that passage answers alone: pairing
                # them would use up facts a two-passage path needs
                if set(topo.fact_passages.get(f1, ())) & set(topo.fact_passages.get(f2, ())):
                    continue
                if siblings(topo, bridge, f1, f2):
                    continue
                score = fact_priority(topo, priority, f1) + fact_priority(topo, priority, f2)
                candidates.append((-score, f1, f2, a, bridge, c))
    candidates.sort()
    used: set[str] = set()
    out: list[Subgraph] = []
    for _, f1, f2, a, bridge, c in candidates:
        if f1 in used or f2 in used:
            continue
        used.update((f1, f2))
        out.append(Subgraph("path2", [a, bridge, c], [f1, f2], f1, chain=[a, bridge, c]))
    return out
