"""Two-fact chains inside a subgraph (A –f1– B –f2– C), the backbone of a multi-hop question."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.synth.topology import Topology
from hippo.synth.units import FactUnit, SubgraphUnits


@dataclass(frozen=True)
class Chain:
    start: str  # entity ids
    bridge: str
    end: str
    first: FactUnit  # links start and bridge
    second: FactUnit  # links bridge and end

    @property
    def path(self) -> list[str]:
        return [self.start, self.bridge, self.end]


def _other(f: FactUnit, entity: str) -> str:
    return f.object_id if f.subject_id == entity else f.subject_id


def find_chains(units: SubgraphUnits, topo: Topology, preferred: list[str] | None = None) -> list[Chain]:
    """Chains whose two ends share no fact in the whole graph (so the question really takes two
    hops). A partitioner's own chain (``preferred``, entity ids in order) comes first."""
    facts = sorted(units.facts.values(), key=lambda f: f.id)
    out: list[Chain] = []
    for i, f1 in enumerate(facts):
        for f2 in facts[i + 1 :]:
            shared = {f1.subject_id, f1.object_id} & {f2.subject_id, f2.object_id}
            for bridge in sorted(shared):
                a, c = _other(f1, bridge), _other(f2, bridge)
                if len({a, bridge, c}) < 3 or topo.shortest_hops(a, c, limit=1) is not None:
                    continue
                out.append(Chain(a, bridge, c, f1, f2))
    if preferred:
        out.sort(key=lambda ch: 0 if ch.path in (preferred, preferred[::-1]) else 1)
    return out
