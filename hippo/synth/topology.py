"""The entity–fact topology of a namespace, without embeddings or texts: what partitioners walk.

Units are entities (nodes) and facts (edges between their subject and object). Descriptions are
read later, per subgraph, through the store contract (see :mod:`hippo.synth.units`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from hippo.store.base import GraphStore
from hippo.types import GraphExport


@dataclass
class Topology:
    entity_ids: list[str]
    entity_names: dict[str, str]
    fact_ends: dict[str, tuple[str, str]]  # fact id -> (subject id, object id)
    fact_texts: dict[str, str]
    fact_passages: dict[str, list[str]]
    entity_passages: dict[str, list[str]]
    # entity id -> facts touching it, in a stable order (sorted by fact id)
    incident: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_export(cls, g: GraphExport) -> Topology:
        fact_ends = {f: (s, o) for f, s, o in zip(g.fact_ids, g.fact_subjects, g.fact_objects, strict=True)}
        incident: dict[str, list[str]] = defaultdict(list)
        for f in sorted(fact_ends):
            s, o = fact_ends[f]
            incident[s].append(f)
            if o != s:
                incident[o].append(f)
        fact_passages: dict[str, list[str]] = defaultdict(list)
        for p, f in g.fact_support:
            fact_passages[f].append(p)
        entity_passages: dict[str, list[str]] = defaultdict(list)
        for p, e in g.mentions:
            entity_passages[e].append(p)
        return cls(
            entity_ids=sorted(g.entity_ids),
            entity_names=dict(zip(g.entity_ids, g.entity_names, strict=True)),
            fact_ends=fact_ends,
            fact_texts=dict(zip(g.fact_ids, g.fact_texts, strict=True)),
            fact_passages={k: sorted(v) for k, v in fact_passages.items()},
            entity_passages={k: sorted(v) for k, v in entity_passages.items()},
            incident=dict(incident),
        )

    @classmethod
    def from_store(cls, store: GraphStore, ns: str) -> Topology:
        return cls.from_export(store.export(ns))

    @property
    def fact_ids(self) -> list[str]:
        return sorted(self.fact_ends)

    def degree(self, entity_id: str) -> int:
        return len(self.incident.get(entity_id, ()))

    def other_end(self, fact_id: str, entity_id: str) -> str:
        s, o = self.fact_ends[fact_id]
        return o if s == entity_id else s

    def predicate(self, fact_id: str) -> str:
        """What the fact's text holds between its two entity names ("was born in")."""
        s, o = self.fact_ends[fact_id]
        text = self.fact_texts.get(fact_id, "")
        s_name, o_name = self.entity_names.get(s, ""), self.entity_names.get(o, "")
        if text.lower().startswith(s_name.lower()):
            text = text[len(s_name) :]
        if o_name and text.lower().endswith(o_name.lower()):
            text = text[: -len(o_name)]
        return text.strip()

    def unit_ids(self) -> list[str]:
        return self.entity_ids + self.fact_ids

    def shortest_hops(self, a: str, b: str, limit: int = 6) -> int | None:
        """Fewest facts linking entity a to entity b (None when farther than ``limit``)."""
        if a == b:
            return 0
        frontier, seen = {a}, {a}
        for depth in range(1, limit + 1):
            nxt: set[str] = set()
            for e in frontier:
                for f in self.incident.get(e, ()):
                    n = self.other_end(f, e)
                    if n == b:
                        return depth
                    if n not in seen:
                        seen.add(n)
                        nxt.add(n)
            if not nxt:
                return None
            frontier = nxt
        return None
