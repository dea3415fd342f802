"""Hand-built DocumentWrite records for the store contract tests (no model, no extractor)."""

from __future__ import annotations

import hashlib

import numpy as np

from hippo.index.sentence_layer import sentence_id
from hippo.text import content_hash, entity_id, fact_id, passage_id
from hippo.types import (
    Document,
    DocumentWrite,
    Entity,
    EntityRecord,
    Fact,
    FactRecord,
    Passage,
    PassageRecord,
    Sentence,
    SentenceRecord,
)

DIM = 384


def embedding(text: str) -> np.ndarray:
    """A deterministic random unit vector per text, so both backends get the same numbers."""
    seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
    vec = np.random.default_rng(seed).standard_normal(DIM).astype(np.float32)
    return vec / np.linalg.norm(vec)


def make_fact(subject: str, predicate: str, obj: str) -> Fact:
    s, o = entity_id(subject), entity_id(obj)
    return Fact(id=fact_id(s, predicate, o), subject_id=s, predicate=predicate, object_id=o,
                text=f"{subject} {predicate} {obj}")


def make_write(
    doc_id: str,
    passages: list[tuple[str, list[tuple[str, str, str]]]],
    extra_entities: list[str] | None = None,
    failures: dict[int, str] | None = None,
    title: str = "",
    known_entities: frozenset[str] = frozenset(),
    aliases: list[tuple[str, str]] | None = None,
) -> DocumentWrite:
    """One document: each passage is (text, triples); every triple's ends are entities the
    passage mentions, ``extra_entities`` are mentioned by the first passage only. Entities named
    in ``known_entities`` are written with embedding=None (they must already exist).

    The retrieval layer: each passage's sentences are its text cut at "; ", each naming the
    entities of the passage's triples whose name it contains; ``aliases`` (short, full) are
    attested by the first passage, which mentions both."""
    title = title or doc_id
    records: list[PassageRecord] = []
    entities: dict[str, EntityRecord] = {}
    facts: dict[str, FactRecord] = {}
    mentions: list[tuple[str, str]] = []
    support: list[tuple[str, str]] = []
    sentences: list[SentenceRecord] = []
    sentence_mentions: list[tuple[str, str]] = []
    alias_rows: list[tuple[str, str, str]] = []

    def add_entity(name: str, pid: str) -> None:
        eid = entity_id(name)
        emb = None if name in known_entities else embedding(name)
        entities.setdefault(eid, EntityRecord(Entity(eid, name), emb))
        if (pid, eid) not in mentions:
            mentions.append((pid, eid))

    for position, (text, triples) in enumerate(passages):
        pid = passage_id(title, text)
        records.append(PassageRecord(Passage(pid, doc_id, title, text, position), embedding(text)))
        for s, p, o in triples:
            add_entity(s, pid)
            add_entity(o, pid)
            fact = make_fact(s, p, o)
            facts.setdefault(fact.id, FactRecord(fact, embedding(fact.text)))
            support.append((pid, fact.id))
        if position == 0:
            for name in extra_entities or []:
                add_entity(name, pid)
            for short, full in aliases or []:
                add_entity(short, pid)
                add_entity(full, pid)
                alias_rows.append((pid, entity_id(short), entity_id(full)))
        names = {n for s, _, o in triples for n in (s, o)}
        for k, part in enumerate(text.split("; ")):
            sid = sentence_id(pid, k)
            sentences.append(SentenceRecord(Sentence(sid, pid, k, part), embedding(f"{title}: {part}")))
            sentence_mentions.extend((sid, entity_id(n)) for n in sorted(names) if n in part)
    full_text = "\n".join(text for text, _ in passages)
    fail = {records[i].passage.id: msg for i, msg in (failures or {}).items()}
    return DocumentWrite(
        document=Document(doc_id, title, full_text, {"source": f"{doc_id}.txt"}),
        content_hash=content_hash(full_text),
        passages=records,
        entities=list(entities.values()),
        facts=list(facts.values()),
        mentions=mentions,
        fact_support=support,
        failures=fail,
        sentences=sentences,
        sentence_mentions=sentence_mentions,
        aliases=alias_rows,
    )
