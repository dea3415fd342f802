"""Subgraphs and the partitioner registry. A partitioner turns the topology and a priority per
unit (blind-spot loss, highest first) into edge-disjoint subgraphs: no fact is in two of them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from hippo.synth.topology import Topology
from hippo.text import stable_id


@dataclass(frozen=True)
class PartitionOptions:
    max_depth: int = 2  # k of k-hop: how many expansion rounds from the seed edge
    max_units: int = 10  # entities + facts per subgraph
    max_tokens: int = 1024  # rough token budget of the subgraph's unit texts
    seed: int = 0


@dataclass
class Subgraph:
    partitioner: str
    entity_ids: list[str]
    fact_ids: list[str]
    seed_unit: str
    # path2: entities start, bridge, end in order, and the two facts linking them
    chain: list[str] | None = None
    id: str = field(default="")
    # per-document and per-passage work: the item's own passages, read in this order
    passage_ids: list[str] = field(default_factory=list)
    # facts a work planner wants the recipe to know (tree leaf, document id, quota …)
    attrs: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.id:
            key = "\t".join([self.partitioner, *sorted(self.fact_ids), "|", *sorted(self.entity_ids)])
            self.id = stable_id("sg", key)

    @property
    def unit_ids(self) -> list[str]:
        return [*self.entity_ids, *self.fact_ids]


Priority = Mapping[str, float]
Partitioner = Callable[[Topology, Priority, PartitionOptions], list[Subgraph]]


def fact_priority(topo: Topology, priority: Priority, fact_id: str) -> float:
    """A fact's own loss when scored, else the mean of its two entities' losses (0 when none)."""
    if fact_id in priority:
        return priority[fact_id]
    s, o = topo.fact_ends[fact_id]
    ends = [priority[e] for e in (s, o) if e in priority]
    return sum(ends) / len(ends) if ends else 0.0


def seeds_by_priority(topo: Topology, priority: Priority) -> list[str]:
    """Fact ids, highest priority first; ties broken by id so runs are reproducible."""
    return sorted(topo.fact_ids, key=lambda f: (-fact_priority(topo, priority, f), f))


def estimate_tokens(text: str) -> int:
    # ~1.3 tokens per word for English BPE vocabularies; exact counts would need the synth tokenizer
    return int(len(text.split()) * 1.3) + 1


def fact_cost(topo: Topology, fact_id: str) -> int:
    return estimate_tokens(topo.fact_texts.get(fact_id, ""))


class Growth:
    """An edge-disjoint subgraph under construction that respects the unit and token limits."""

    def __init__(self, topo: Topology, opts: PartitionOptions, used: set[str], seed: str) -> None:
        self.topo, self.opts, self.used = topo, opts, used
        s, o = topo.fact_ends[seed]
        self.facts = [seed]
        self.entities = list(dict.fromkeys([s, o]))
        self.tokens = fact_cost(topo, seed)
        used.add(seed)

    @property
    def size(self) -> int:
        return len(self.facts) + len(self.entities)

    def full(self) -> bool:
        return self.size >= self.opts.max_units or self.tokens >= self.opts.max_tokens

    def try_add(self, fact_id: str) -> str | None:
        """Add a fact if it fits; returns the newly reached entity ('' when none is new), or
        None when the fact was not added."""
        if fact_id in self.used:
            return None
        s, o = self.topo.fact_ends[fact_id]
        new = [e for e in dict.fromkeys([s, o]) if e not in self.entities]
        cost = fact_cost(self.topo, fact_id)
        if self.size + 1 + len(new) > self.opts.max_units or self.tokens + cost > self.opts.max_tokens:
            return None
        self.used.add(fact_id)
        self.facts.append(fact_id)
        self.entities.extend(new)
        self.tokens += cost
        return new[0] if new else ""

    def done(self, name: str, seed: str) -> Subgraph:
        return Subgraph(name, list(self.entities), list(self.facts), seed)


PARTITIONERS: dict[str, Partitioner] = {}


def grow_from_seeds(
    topo: Topology, priority: Priority, opts: PartitionOptions, name: str, grow: Callable[[Growth], None]
) -> list[Subgraph]:
    """Edge-disjoint subgraphs: for each seed fact not used yet (by priority), start a Growth and
    let ``grow`` extend it; the partitioners differ only in how they grow."""
    used: set[str] = set()
    out: list[Subgraph] = []
    for seed in seeds_by_priority(topo, priority):
        if seed in used:
            continue
        g = Growth(topo, opts, used, seed)
        grow(g)
        out.append(g.done(name, seed))
    return out


def register_partitioner(name: str) -> Callable[[Partitioner], Partitioner]:
    def deco(fn: Partitioner) -> Partitioner:
        PARTITIONERS[name] = fn
        return fn

    return deco
