"""Each entity's one kind for synthesis (``hippo.kinds``: person, place, organisation, work, date,
number, …, or thing), read from the topology once per run. The kind only chooses a question word
("Who", "Where", "When") and a noun for describing an entity without naming it."""

from __future__ import annotations

from dataclasses import dataclass, field

from hippo.kinds import guess_kind, kind_votes, noun_for
from hippo.synth.topology import Topology


@dataclass
class EntityKinds:
    kinds: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def of(self, entity_id: str) -> str:
        return self.kinds.get(entity_id, "thing")

    def noun(self, entity_id: str) -> str:
        return noun_for(self.names.get(entity_id, ""), self.of(entity_id))

    @classmethod
    def from_topology(cls, topo: Topology) -> EntityKinds:
        facts = ((s, o, topo.fact_texts.get(fid, "")) for fid, (s, o) in topo.fact_ends.items())
        votes = kind_votes(topo.entity_names, facts)
        names = dict(topo.entity_names)
        return cls({eid: guess_kind(names.get(eid, ""), votes.get(eid)) for eid in topo.entity_ids}, names)
