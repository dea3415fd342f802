"""The neighbourhood of an entity or a passage: entities, facts and passages within some hops,
with the edges between them (mentions, synonymy), read through the store contract. Shared by the
HTTP API and the MCP server through ``Service.subgraph``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hippo.errors import NotFound
from hippo.service.limits import MAX_SUBGRAPH_ENTITIES, MAX_SUBGRAPH_PASSAGES, check_centre

if TYPE_CHECKING:
    from hippo.memory import Memory


def subgraph(
    memory: Memory,
    *,
    entity: str | None = None,
    passage: str | None = None,
    hops: int = 1,
    max_entities: int = MAX_SUBGRAPH_ENTITIES,
) -> dict[str, Any]:
    """Raises NotFound when the centre does not exist, UserError unless exactly one centre."""
    check_centre(entity, passage)
    entity, passage = entity or None, passage or None
    store, ns = memory.store, memory.namespace
    truncated = False
    if entity is not None:
        if not store.get_entities(ns, [entity]):
            raise NotFound(f"no entity {entity!r} in namespace {ns!r}")
        frontier = {entity}
        center = entity
    else:
        assert passage is not None
        if not store.get_passages(ns, [passage]):
            raise NotFound(f"no passage {passage!r} in namespace {ns!r}")
        center = passage
        frontier = _entities_of_passage(memory, passage)
    entities = set(frontier)
    facts: dict[str, Any] = {}
    for _ in range(hops):
        if not frontier:
            break
        reached: set[str] = set()
        for fact in store.facts_of_entities(ns, sorted(frontier)):
            facts[fact.id] = fact
            reached.update(e for e in (fact.subject_id, fact.object_id) if e not in entities)
        room = max_entities - len(entities)
        if len(reached) > room:
            reached, truncated = set(sorted(reached)[: max(room, 0)]), True
        entities |= reached
        frontier = reached
    kept_facts = [f for f in facts.values() if f.subject_id in entities and f.object_id in entities]

    mentioned_by = store.passages_of_entities(ns, sorted(entities))
    weight: dict[str, int] = {}
    for pids in mentioned_by.values():
        for pid in pids:
            weight[pid] = weight.get(pid, 0) + 1
    # passages touching the most entities of the neighbourhood first; the centre passage always
    ranked = sorted(weight, key=lambda pid: (-weight[pid], pid))
    if passage is not None:
        ranked = [passage] + [p for p in ranked if p != passage]
    if len(ranked) > MAX_SUBGRAPH_PASSAGES:
        ranked, truncated = ranked[:MAX_SUBGRAPH_PASSAGES], True
    kept_passages = set(ranked)
    mentions = sorted(
        (pid, eid) for eid, pids in mentioned_by.items() for pid in pids if pid in kept_passages
    )
    synonyms = [
        {"a": e.a, "b": e.b, "weight": round(float(e.weight), 4)}
        for e in memory.snapshot().export.synonyms
        if e.a in entities and e.b in entities
    ]
    return {
        "center": center,
        "hops": hops,
        "entities": [{"id": e.id, "name": e.name} for e in store.get_entities(ns, sorted(entities))],
        "facts": [
            {"id": f.id, "subject_id": f.subject_id, "predicate": f.predicate, "object_id": f.object_id, "text": f.text}
            for f in sorted(kept_facts, key=lambda f: f.id)
        ],
        "passages": [
            {"id": p.id, "doc_id": p.doc_id, "title": p.title, "text": p.text}
            for p in store.get_passages(ns, ranked)
        ],
        "mentions": mentions,
        "synonyms": synonyms,
        "truncated": truncated,
    }


def _entities_of_passage(memory: Memory, passage_id: str) -> set[str]:
    """The store contract reads entity → passages, not the reverse; the snapshot (cached per store
    version, and built by every query anyway) has the passage's neighbours."""
    snap = memory.snapshot()
    vertex = snap.vertex_of.get(passage_id)
    if vertex is None:
        return set()
    graph = snap.graph
    return {
        graph.vs[n]["id"] for n in graph.neighbors(vertex) if graph.vs[n]["kind"] == "entity"
    }
