"""Units with their descriptions, read through the store contract for one subgraph at a time.

An entity's description is the sentences of the passages that mention it which name it; a fact's
is the triple plus the sentence of a supporting passage that states it best.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hippo.store.base import GraphStore
from hippo.text import normalize_phrase, split_sentences
from hippo.types import Entity, Fact, Passage

MAX_DESCRIPTION_SENTENCES = 3


def _tokens(text: str) -> set[str]:
    return set(normalize_phrase(text).split())


@dataclass
class EntityUnit:
    id: str
    name: str
    description: str
    passage_ids: list[str]

    @property
    def statement(self) -> str:
        return self.description or self.name


@dataclass
class FactUnit:
    id: str
    subject_id: str
    subject: str
    predicate: str
    object_id: str
    object: str
    sentence: str  # the supporting passage sentence that states it ("" when none matches)
    passage_ids: list[str]

    @property
    def triple_text(self) -> str:
        return f"{self.subject} {self.predicate} {self.object}"

    @property
    def statement(self) -> str:
        return self.sentence or self.triple_text + "."


@dataclass
class SubgraphUnits:
    """Every unit of a subgraph with its text, and the passages they come from."""

    entities: dict[str, EntityUnit] = field(default_factory=dict)
    facts: dict[str, FactUnit] = field(default_factory=dict)
    passages: dict[str, Passage] = field(default_factory=dict)

    def names(self) -> dict[str, str]:
        """Entity id -> name, for the entities and every end of the facts."""
        names = {e.id: e.name for e in self.entities.values()}
        for f in self.facts.values():
            names.setdefault(f.subject_id, f.subject)
            names.setdefault(f.object_id, f.object)
        return names

    def context_text(self) -> str:
        """All the text the subgraph is grounded in (for grounding checks)."""
        parts = [p.text for p in self.passages.values()]
        parts += [f.triple_text for f in self.facts.values()]
        parts += [e.name for e in self.entities.values()]
        return "\n".join(parts)


def best_sentence(passages: list[Passage], must_have: list[str]) -> str:
    """The sentence sharing most words with ``must_have`` phrases (ties: earliest)."""
    wanted = [_tokens(m) for m in must_have]
    best, best_score = "", 0.0
    for p in passages:
        for sent in split_sentences(p.text):
            words = _tokens(sent)
            score = sum(len(w & words) / max(1, len(w)) for w in wanted)
            if score > best_score:
                best, best_score = sent, score
    return best


def describe_entity(entity: Entity, passages: list[Passage]) -> str:
    name = _tokens(entity.name)
    picked: list[str] = []
    for p in passages:
        for sent in split_sentences(p.text):
            if name and name <= _tokens(sent) and sent not in picked:
                picked.append(sent)
            if len(picked) >= MAX_DESCRIPTION_SENTENCES:
                return " ".join(picked)
    return " ".join(picked)


class UnitReader:
    """Reads the units of one subgraph: entities, facts, and only the passages they need."""

    def __init__(self, store: GraphStore, namespace: str) -> None:
        self.store = store
        self.ns = namespace

    def read(self, entity_ids: list[str], fact_ids: list[str], only_passages: list[str] | None = None) -> SubgraphUnits:
        """``only_passages``: describe units from these passages alone (a document's own text),
        so a hub entity of a per-document item does not pull in every passage that mentions it."""
        facts: list[Fact] = self.store.get_facts(self.ns, list(fact_ids))
        ent_ids = list(dict.fromkeys([*entity_ids, *(f.subject_id for f in facts), *(f.object_id for f in facts)]))
        entities = {e.id: e for e in self.store.get_entities(self.ns, ent_ids)}
        fact_psg = self.store.passages_of_facts(self.ns, [f.id for f in facts])
        ent_psg = self.store.passages_of_entities(self.ns, [e for e in entity_ids if e in entities])
        if only_passages is not None:
            keep = set(only_passages)
            fact_psg = {k: [p for p in v if p in keep] for k, v in fact_psg.items()}
            ent_psg = {k: [p for p in v if p in keep] for k, v in ent_psg.items()}
        wanted = sorted({p for ps in fact_psg.values() for p in ps} | {p for ps in ent_psg.values() for p in ps})
        passages = {p.id: p for p in self.store.get_passages(self.ns, wanted)}
        out = SubgraphUnits(passages=passages)
        for eid in entity_ids:
            ent = entities.get(eid)
            if ent is None:
                continue
            pids = sorted(ent_psg.get(eid, []))
            desc = describe_entity(ent, [passages[p] for p in pids if p in passages])
            out.entities[eid] = EntityUnit(eid, ent.name, desc, pids)
        for f in facts:
            subj = entities.get(f.subject_id)
            obj = entities.get(f.object_id)
            if subj is None or obj is None:
                continue
            pids = sorted(fact_psg.get(f.id, []))
            sentence = best_sentence([passages[p] for p in pids if p in passages], [subj.name, obj.name, f.predicate])
            out.facts[f.id] = FactUnit(f.id, subj.id, subj.name, f.predicate, obj.id, obj.name, sentence, pids)
        return out
