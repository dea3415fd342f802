"""The one subgraph drawer. Three reads pick vertices of the graph snapshot, each with its roles:

- ``neighbourhood``: the entities within some hops of an entity or a passage, the passages that
  mention them most and the facts between them (``GET …/subgraph``, MCP ``inspect``);
- ``query_drawing``: what carried a query's PageRank mass — seeds, linked-fact ends, top entities
  by mass, the ranked passages (the graph explorer);
- ``provenance_drawing``: the source subgraph of a synthesised record (the graph explorer).

The edges among picked vertices come from one function (``edges_among``: relation, synonymy and
mention rows of the snapshot's arrays), and two renderers turn a pick into the API's lists or the
explorer's nodes and edges. Only the snapshot and the store contract are read, so every backend
works the same; no PageRank runs twice (the query drawing reuses the retriever's ranking).
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from hippo.errors import NotFound
from hippo.retrieve.columns import IdIndex
from hippo.retrieve.snapshot import CONTEXT, SYNONYM, GraphSnapshot
from hippo.service.limits import MAX_SUBGRAPH_ENTITIES, MAX_SUBGRAPH_PASSAGES, check_centre
from hippo.types import QueryResult

if TYPE_CHECKING:
    from hippo.memory import Memory
    from hippo.retrieve.retriever import Retriever

TOP_ENTITIES_DRAWN = 12  # entities by PPR mass drawn besides seeds and linked-fact ends
CONTEXT_ENTITIES_PER_PASSAGE = 8  # entities a provenance passage mentions, drawn as context
_NO_ROWS = np.zeros(0, dtype=np.int64)


# --- picking vertices --------------------------------------------------------------------------
@dataclass
class Pick:
    """Vertices chosen so far (vertex index → roles)."""

    snap: GraphSnapshot
    roles: dict[int, set[str]] = field(default_factory=dict)

    def add(self, vertex: int, *roles: str) -> None:
        if vertex >= 0:
            self.roles.setdefault(int(vertex), set()).update(roles)

    def add_id(self, node_id: str, *roles: str) -> bool:
        vertex = self.snap.vertex_of.get(node_id, -1)
        self.add(vertex, *roles)
        return vertex >= 0

    def add_fact(self, fact_row: int, *roles: str) -> None:
        self.add(int(self.snap.fact_subject[fact_row]), *roles)
        self.add(int(self.snap.fact_object[fact_row]), *roles)

    def vertices(self) -> np.ndarray:
        return np.fromiter(self.roles, dtype=np.int64, count=len(self.roles))


def _is_entity(snap: GraphSnapshot, vertex: int) -> bool:
    return 0 <= vertex < snap.n_entities


def _is_passage(snap: GraphSnapshot, vertex: int) -> bool:
    return snap.n_entities <= vertex < snap.n_entities + snap.n_passages


def _edge_arrays(snap: GraphSnapshot, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    e = snap.edges.get(kind)
    if e is None:
        return _NO_ROWS, _NO_ROWS, np.zeros(0)
    return np.asarray(e.src, dtype=np.int64), np.asarray(e.dst, dtype=np.int64), np.asarray(e.weight)


# fact id -> row, built once per snapshot (a snapshot lives for a store version); keyed by id()
# with a weak reference that tells a live snapshot from a recycled id
_fact_index: dict[int, tuple[weakref.ref[GraphSnapshot], IdIndex]] = {}
_fact_index_guard = threading.Lock()


def fact_rows(snap: GraphSnapshot, fact_ids: list[str]) -> dict[str, int]:
    """Snapshot rows of the given fact ids (those the snapshot has)."""
    if not fact_ids:
        return {}
    with _fact_index_guard:
        entry = _fact_index.get(id(snap))
        index = entry[1] if entry is not None and entry[0]() is snap else None
    if index is None:
        index = IdIndex.of(snap.fact_ids)
        with _fact_index_guard:
            for key in [k for k, (ref, _) in _fact_index.items() if ref() is None]:
                del _fact_index[key]
            _fact_index[id(snap)] = (weakref.ref(snap), index)
    rows = index.rows(fact_ids)
    return {fid: int(row) for fid, row in zip(fact_ids, rows, strict=True) if row >= 0}


def mention_rows(snap: GraphSnapshot, passages: np.ndarray | None = None, entities: np.ndarray | None = None) -> np.ndarray:
    """Rows of the mention (passage → entity) edges from these passages and/or to these entities."""
    src, dst, _ = _edge_arrays(snap, CONTEXT)
    keep = np.ones(src.shape[0], dtype=bool)
    if passages is not None:
        keep &= np.isin(src, passages)
    if entities is not None:
        keep &= np.isin(dst, entities)
    return np.flatnonzero(keep)


@dataclass(frozen=True)
class Edges:
    """Edges whose both ends are picked, as rows of the snapshot's arrays."""

    relation: np.ndarray  # fact rows
    synonym: np.ndarray  # rows of the synonym edges
    mention: np.ndarray  # rows of the mention edges


def edges_among(snap: GraphSnapshot, vertices: np.ndarray) -> Edges:
    relation = np.flatnonzero(np.isin(snap.fact_subject, vertices) & np.isin(snap.fact_object, vertices))
    a, b, _ = _edge_arrays(snap, SYNONYM)
    synonym = np.flatnonzero(np.isin(a, vertices) & np.isin(b, vertices))
    return Edges(relation, synonym, mention_rows(snap, vertices, vertices))


# --- the neighbourhood of a node (API and MCP) -------------------------------------------------
def neighbourhood(
    memory: Memory,
    *,
    entity: str | None = None,
    passage: str | None = None,
    hops: int = 1,
    max_entities: int = MAX_SUBGRAPH_ENTITIES,
) -> dict[str, Any]:
    """Entities, facts and passages within ``hops`` relation hops of an entity (or of the entities
    a passage mentions), with the mentions and synonym edges between them. Raises NotFound when
    the centre does not exist, UserError unless exactly one centre is given."""
    check_centre(entity, passage)
    entity, passage = entity or None, passage or None
    snap, store, ns = memory.snapshot(), memory.store, memory.namespace
    centre = entity or passage or ""
    vertex = snap.vertex_of.get(centre, -1)
    if entity is not None and not _is_entity(snap, vertex):
        raise NotFound(f"no entity {entity!r} in namespace {ns!r}")
    if passage is not None and not _is_passage(snap, vertex):
        raise NotFound(f"no passage {passage!r} in namespace {ns!r}")
    ids = snap.ids
    if entity is not None:
        frontier = {vertex}
    else:
        frontier = {int(v) for v in _edge_arrays(snap, CONTEXT)[1][mention_rows(snap, np.array([vertex]))]}
    entities = set(frontier)
    facts: set[int] = set()
    truncated = False
    for _ in range(hops):
        if not frontier:
            break
        f = np.fromiter(frontier, dtype=np.int64, count=len(frontier))
        rows = np.flatnonzero(np.isin(snap.fact_subject, f) | np.isin(snap.fact_object, f))
        facts.update(int(r) for r in rows)
        ends = np.concatenate([snap.fact_subject[rows], snap.fact_object[rows]])
        reached = {int(v) for v in ends if v >= 0} - entities
        room = max_entities - len(entities)
        if len(reached) > room:  # keep the first by id, so a truncated read is reproducible
            reached, truncated = set(sorted(reached, key=lambda v: ids[v])[: max(room, 0)]), True
        entities |= reached
        frontier = reached
    members = np.fromiter(entities, dtype=np.int64, count=len(entities))
    kept_facts = sorted(
        (snap.fact_ids[r] for r in facts
         if int(snap.fact_subject[r]) in entities and int(snap.fact_object[r]) in entities),
    )

    src, dst, _ = _edge_arrays(snap, CONTEXT)
    mentions = mention_rows(snap, entities=members)
    weight: dict[int, int] = {}
    for p in src[mentions]:
        weight[int(p)] = weight.get(int(p), 0) + 1
    # passages touching the most entities of the neighbourhood first; the centre passage always
    ranked = sorted(weight, key=lambda p: (-weight[p], ids[p]))
    if passage is not None:
        ranked = [vertex] + [p for p in ranked if p != vertex]
    if len(ranked) > MAX_SUBGRAPH_PASSAGES:
        ranked, truncated = ranked[:MAX_SUBGRAPH_PASSAGES], True
    kept_passages = set(ranked)
    a, b, w = _edge_arrays(snap, SYNONYM)
    synonym_rows = np.flatnonzero(np.isin(a, members) & np.isin(b, members))
    synonyms = sorted(
        (min(ids[int(a[r])], ids[int(b[r])]), max(ids[int(a[r])], ids[int(b[r])]), round(float(w[r]), 4))
        for r in synonym_rows
    )
    return {
        "center": centre,
        "hops": hops,
        "entities": [{"id": ids[v], "name": snap.names[v]} for v in sorted(entities, key=lambda v: ids[v])],
        "facts": [
            {"id": f.id, "subject_id": f.subject_id, "predicate": f.predicate, "object_id": f.object_id, "text": f.text}
            for f in store.get_facts(ns, kept_facts)
        ],
        "passages": [
            {"id": p.id, "doc_id": p.doc_id, "title": p.title, "text": p.text}
            for p in store.get_passages(ns, [ids[p] for p in ranked])
        ],
        "mentions": sorted({(ids[int(src[r])], ids[int(dst[r])]) for r in mentions if int(src[r]) in kept_passages}),
        "synonyms": [{"a": x, "b": y, "weight": weight_} for x, y, weight_ in synonyms],
        "truncated": truncated,
    }


# --- drawings for the graph explorer -----------------------------------------------------------
def _drawn_edges(snap: GraphSnapshot, edges: Edges, marked_facts: set[str]) -> list[dict[str, Any]]:
    ids, out = snap.ids, []
    for row in edges.relation:
        s, o = int(snap.fact_subject[row]), int(snap.fact_object[row])
        if s == o:
            continue
        fid = snap.fact_ids[int(row)]
        out.append({"id": f"rel:{fid}", "source": ids[s], "target": ids[o], "kind": "relation",
                    "label": snap.fact_texts[int(row)], "fact_id": fid, "marked": fid in marked_facts})
    a, b, w = _edge_arrays(snap, SYNONYM)
    synonyms = sorted((min(ids[int(a[r])], ids[int(b[r])]), max(ids[int(a[r])], ids[int(b[r])]), float(w[r]))
                      for r in edges.synonym)
    out.extend({"id": f"syn:{x}:{y}", "source": x, "target": y, "kind": "synonymy", "label": f"{weight:.2f}",
                "marked": False} for x, y, weight in synonyms)
    src, dst, _ = _edge_arrays(snap, CONTEXT)
    mentions = sorted({(ids[int(src[r])], ids[int(dst[r])]) for r in edges.mention})
    out.extend({"id": f"men:{p}:{e}", "source": p, "target": e, "kind": "mention", "label": "", "marked": False}
               for p, e in mentions)
    return out


def _drawn_nodes(pick: Pick, mass: np.ndarray | None, titles: dict[str, str],
                 extra: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    snap, nodes = pick.snap, []
    for vertex, roles in pick.roles.items():
        is_entity = _is_entity(snap, vertex)
        node_id = snap.ids[vertex]
        label = snap.names[vertex] if is_entity else titles.get(node_id) or node_id
        node: dict[str, Any] = {
            "id": node_id, "kind": "entity" if is_entity else "passage", "label": label,
            "mass": round(float(mass[vertex]), 6) if mass is not None else None,
            "roles": sorted(roles),
        }
        node.update(extra.get(node_id, {}))
        nodes.append(node)
    return nodes


def _name_predicates(retriever: Retriever, ns: str, edges: list[dict[str, Any]]) -> None:
    """Relation edges are labelled by their predicate; the whole fact text goes to ``text``."""
    relation = [e for e in edges if e["kind"] == "relation"]
    predicates = {f.id: f.predicate for f in retriever.store.get_facts(ns, [e["fact_id"] for e in relation])}
    for edge in relation:
        edge["text"] = edge["label"]
        edge["label"] = predicates.get(edge["fact_id"], edge["label"])


def _passage_titles(retriever: Retriever, ns: str, pick: Pick) -> dict[str, str]:
    snap = pick.snap
    ids = [snap.ids[v] for v in pick.roles if _is_passage(snap, v)]
    return {p.id: p.title for p in retriever.store.get_passages(ns, ids)}


def query_drawing(retriever: Retriever, ns: str, text: str, top_k: int = 5,
                  mode: str | None = None) -> tuple[QueryResult, dict[str, Any]]:
    """The query's result (as the query route returns it) and the subgraph that carried its PPR mass:
    seed entities, the ends of the linked facts, the top entities by mass and the ranked passages."""
    result, snap, ranking = retriever.query_ranked(ns, text, top_k=top_k, mode=mode)
    if snap is None or ranking is None or not result.hits:
        return result, {"nodes": [], "edges": [], "ppr": False}
    pick = Pick(snap)
    explanation = result.explanation
    for seed in explanation.seed_entities or []:
        pick.add_id(seed.entity_id, "seed")
    linked = {f.fact_id for f in explanation.linked_facts or []}
    for row in fact_rows(snap, sorted(linked)).values():
        pick.add_fact(row, "linked")
    mass = ranking.mass
    if mass is not None and snap.n_entities:
        entity_mass = mass[: snap.n_entities]
        for v in np.argsort(-entity_mass, kind="stable")[:TOP_ENTITIES_DRAWN]:
            if entity_mass[v] > 0:
                pick.add(int(v), "top")
    extra: dict[str, dict[str, Any]] = {}
    for rank, hit in enumerate(result.hits, start=1):
        pick.add_id(hit.passage_id, "hit")
        extra[hit.passage_id] = {"rank": rank, "score": hit.score}
    if mass is None:
        # dense mode ran no PageRank: show what the ranked passages mention, unweighted
        hits = np.array([snap.vertex_of.get(h.passage_id, -1) for h in result.hits], dtype=np.int64)
        for entity in _edge_arrays(snap, CONTEXT)[1][mention_rows(snap, hits[hits >= 0])]:
            pick.add(int(entity), "mentioned")
    edges = _drawn_edges(snap, edges_among(snap, pick.vertices()), linked)
    _name_predicates(retriever, ns, edges)
    nodes = _drawn_nodes(pick, mass, {h.passage_id: h.title for h in result.hits}, extra)
    return result, {"nodes": nodes, "edges": edges, "ppr": mass is not None}


def provenance_drawing(retriever: Retriever, ns: str, passage_ids: list[str], fact_ids: list[str],
                       entity_ids: list[str], path: list[str]) -> dict[str, Any]:
    """The subgraph a QA pair came from (highlighted) plus, for context, what its passages mention.
    Ids the namespace no longer has are listed under ``missing``."""
    snap = retriever.snapshot(ns)
    pick = Pick(snap)
    missing: list[str] = []
    for node_id in [*entity_ids, *path, *passage_ids]:
        if not pick.add_id(node_id, "provenance"):
            missing.append(node_id)
    for node_id in path:
        pick.add_id(node_id, "path")
    rows = fact_rows(snap, fact_ids)
    missing.extend(fid for fid in fact_ids if fid not in rows)
    for row in rows.values():
        pick.add_fact(row, "provenance")
    highlighted = {snap.ids[v] for v, roles in pick.roles.items() if "provenance" in roles}
    sources = np.array([v for p in passage_ids if (v := snap.vertex_of.get(p, -1)) >= 0], dtype=np.int64)
    src, dst, _ = _edge_arrays(snap, CONTEXT)
    per_passage: dict[int, int] = {}
    for row in mention_rows(snap, sources):
        p, e = int(src[row]), int(dst[row])
        if e not in pick.roles and per_passage.get(p, 0) < CONTEXT_ENTITIES_PER_PASSAGE:
            per_passage[p] = per_passage.get(p, 0) + 1
            pick.add(e, "context")
    edges = _drawn_edges(snap, edges_among(snap, pick.vertices()), set(fact_ids))
    path_pairs = {frozenset(pair) for pair in zip(path, path[1:], strict=False)}
    for edge in edges:
        ends = frozenset((edge["source"], edge["target"]))
        if edge["kind"] == "mention" and ends <= highlighted:
            edge["marked"] = True
        if edge["kind"] != "mention" and ends in path_pairs:
            edge["marked"] = True
    _name_predicates(retriever, ns, edges)
    nodes = _drawn_nodes(pick, None, _passage_titles(retriever, ns, pick), {})
    return {"nodes": nodes, "edges": edges, "ppr": False, "missing": sorted(set(missing))}
