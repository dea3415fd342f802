"""What the graph explorer draws: the small subgraph that carried a query's PPR mass, or the
subgraph a synthesised QA pair came from, as nodes and typed edges ready for a drawing library.

Only the store contract and the igraph snapshot are used, so this works on every backend. The
query runs through the ordinary ``Retriever`` (same hits and explanation as the query route), whose
ranking carries the PPR vector, so no PageRank runs twice.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from hippo.retrieve.retriever import Retriever
from hippo.retrieve.snapshot import GraphSnapshot, SnapshotExport
from hippo.types import QueryResult

TOP_ENTITIES_DRAWN = 12  # entities by PPR mass drawn besides seeds and linked-fact ends
CONTEXT_ENTITIES_PER_PASSAGE = 8  # entities a provenance passage mentions, drawn as context
MAX_IDS = 200  # ids a provenance request may name


@dataclass
class _Lookups:
    """Per-export index arrays (built once per graph version, dropped with the export)."""

    fact_row: dict[str, int]
    mention_passage: np.ndarray  # vertex index per mention
    mention_entity: np.ndarray
    synonym_a: np.ndarray
    synonym_b: np.ndarray
    synonym_weight: np.ndarray


# keyed by id(export) with a weak reference to tell a live export from a recycled id; exports
# are unhashable dataclasses, so a WeakKeyDictionary cannot hold them
_lookups: dict[int, tuple[weakref.ref[SnapshotExport], _Lookups]] = {}
_lookups_guard = threading.Lock()


def _lookups_of(snap: GraphSnapshot) -> _Lookups:
    with _lookups_guard:
        entry = _lookups.get(id(snap.export))
        if entry is not None and entry[0]() is snap.export:
            return entry[1]
    exp, v = snap.export, snap.vertex_of

    def vertices(ids: list[str]) -> np.ndarray:
        return np.fromiter((v.get(i, -1) for i in ids), dtype=np.int64, count=len(ids))

    built = _Lookups(
        fact_row={fid: i for i, fid in enumerate(exp.fact_ids)},
        mention_passage=vertices([p for p, _ in exp.mentions]),
        mention_entity=vertices([e for _, e in exp.mentions]),
        synonym_a=vertices([s.a for s in exp.synonyms]),
        synonym_b=vertices([s.b for s in exp.synonyms]),
        synonym_weight=np.array([s.weight for s in exp.synonyms], dtype=np.float64),
    )
    with _lookups_guard:
        for key in [k for k, (ref, _) in _lookups.items() if ref() is None]:
            del _lookups[key]
        _lookups[id(snap.export)] = (weakref.ref(snap.export), built)
    return built


@dataclass
class _Drawing:
    """Nodes chosen so far (vertex index → role flags) and how to describe them."""

    snap: GraphSnapshot
    roles: dict[int, set[str]] = field(default_factory=dict)

    def add(self, vertex: int, *roles: str) -> None:
        if vertex >= 0:
            self.roles.setdefault(vertex, set()).update(roles)

    def add_id(self, node_id: str, *roles: str) -> bool:
        vertex = self.snap.vertex_of.get(node_id, -1)
        self.add(vertex, *roles)
        return vertex >= 0


def _node_id(snap: GraphSnapshot, vertex: int) -> str:
    exp = snap.export
    return exp.entity_ids[vertex] if vertex < snap.n_entities else exp.passage_ids[vertex - snap.n_entities]


def _mentions_of(lk: _Lookups, passage_vertices: list[int]) -> np.ndarray:
    """Rows of the mentions made by these passages."""
    return np.flatnonzero(np.isin(lk.mention_passage, np.asarray(passage_vertices, dtype=np.int64)))


def _edges(snap: GraphSnapshot, chosen: set[int], marked_facts: set[str]) -> list[dict[str, Any]]:
    """Relation, synonymy and mention edges whose both ends are drawn."""
    exp, lk = snap.export, _lookups_of(snap)
    members = np.fromiter(chosen, dtype=np.int64, count=len(chosen))
    edges: list[dict[str, Any]] = []
    rel = np.flatnonzero(np.isin(snap.fact_subject, members) & np.isin(snap.fact_object, members))
    for row in rel:
        s, o = int(snap.fact_subject[row]), int(snap.fact_object[row])
        if s == o:
            continue
        fid = exp.fact_ids[row]
        edges.append({"id": f"rel:{fid}", "source": exp.entity_ids[s], "target": exp.entity_ids[o],
                      "kind": "relation", "label": exp.fact_texts[row], "fact_id": fid,
                      "marked": fid in marked_facts})
    syn = np.flatnonzero(np.isin(lk.synonym_a, members) & np.isin(lk.synonym_b, members))
    for row in syn:
        a, b = exp.entity_ids[int(lk.synonym_a[row])], exp.entity_ids[int(lk.synonym_b[row])]
        edges.append({"id": f"syn:{a}:{b}", "source": a, "target": b, "kind": "synonymy",
                      "label": f"{lk.synonym_weight[row]:.2f}", "marked": False})
    men = np.flatnonzero(np.isin(lk.mention_passage, members) & np.isin(lk.mention_entity, members))
    for row in men:
        p, e = exp.mentions[row]
        edges.append({"id": f"men:{p}:{e}", "source": p, "target": e, "kind": "mention", "label": "",
                      "marked": False})
    return edges


def _nodes(drawing: _Drawing, mass: np.ndarray | None, titles: dict[str, str],
           extra: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    snap, exp = drawing.snap, drawing.snap.export
    nodes = []
    for vertex, roles in drawing.roles.items():
        is_entity = vertex < snap.n_entities
        node_id = _node_id(snap, vertex)
        label = exp.entity_names[vertex] if is_entity else titles.get(node_id) or node_id
        node: dict[str, Any] = {
            "id": node_id, "kind": "entity" if is_entity else "passage", "label": label,
            "mass": round(float(mass[vertex]), 6) if mass is not None else None,
            "roles": sorted(roles),
        }
        node.update(extra.get(node_id, {}))
        nodes.append(node)
    return nodes


def _titles(retriever: Retriever, ns: str, drawing: _Drawing) -> dict[str, str]:
    snap = drawing.snap
    ids = [snap.export.passage_ids[v - snap.n_entities] for v in drawing.roles if v >= snap.n_entities]
    return {p.id: p.title for p in retriever.store.get_passages(ns, ids)}


def _name_predicates(retriever: Retriever, ns: str, edges: list[dict[str, Any]]) -> None:
    """Relation edges are labelled by their predicate; the whole fact text goes to ``text``."""
    relation = [e for e in edges if e["kind"] == "relation"]
    predicates = {f.id: f.predicate for f in retriever.store.get_facts(ns, [e["fact_id"] for e in relation])}
    for edge in relation:
        edge["text"] = edge["label"]
        edge["label"] = predicates.get(edge["fact_id"], edge["label"])


def query_graph(retriever: Retriever, ns: str, text: str, top_k: int = 5,
                mode: str | None = None) -> tuple[QueryResult, dict[str, Any]]:
    """The query's result (as the query route returns it) and the subgraph that carried its PPR mass:
    seed entities, the ends of the linked facts, the top entities by mass and the ranked passages."""
    result, snap, ranking = retriever.query_ranked(ns, text, top_k=top_k, mode=mode)
    if snap is None or ranking is None or not result.hits:
        return result, {"nodes": [], "edges": [], "ppr": False}
    drawing = _Drawing(snap)
    lk = _lookups_of(snap)
    explanation = result.explanation
    for seed in explanation.get("seed_entities", []):
        drawing.add_id(str(seed.get("entity_id", "")), "seed")
    linked = {str(f.get("fact_id", "")) for f in explanation.get("linked_facts", [])}
    for fid in linked:
        row = lk.fact_row.get(fid)
        if row is not None:
            drawing.add(int(snap.fact_subject[row]), "linked")
            drawing.add(int(snap.fact_object[row]), "linked")
    mass = ranking.mass
    if mass is not None and snap.n_entities:
        entity_mass = mass[: snap.n_entities]
        for v in np.argsort(-entity_mass, kind="stable")[:TOP_ENTITIES_DRAWN]:
            if entity_mass[v] > 0:
                drawing.add(int(v), "top")
    extra: dict[str, dict[str, Any]] = {}
    for rank, hit in enumerate(result.hits, start=1):
        drawing.add_id(hit.passage_id, "hit")
        extra[hit.passage_id] = {"rank": rank, "score": hit.score}
    if mass is None:
        # dense mode ran no PageRank: show what the ranked passages mention, unweighted
        hits = [snap.vertex_of[h.passage_id] for h in result.hits if h.passage_id in snap.vertex_of]
        for row in _mentions_of(lk, hits):
            drawing.add(int(lk.mention_entity[row]), "mentioned")
    edges = _edges(snap, set(drawing.roles), linked)
    _name_predicates(retriever, ns, edges)
    nodes = _nodes(drawing, mass, {h.passage_id: h.title for h in result.hits}, extra)
    return result, {"nodes": nodes, "edges": edges, "ppr": mass is not None}


def provenance_graph(retriever: Retriever, ns: str, passage_ids: list[str], fact_ids: list[str],
                     entity_ids: list[str], path: list[str]) -> dict[str, Any]:
    """The subgraph a QA pair came from (highlighted) plus, for context, what its passages mention.
    Ids the namespace no longer has are listed under ``missing``."""
    snap = retriever.snapshot(ns)
    drawing = _Drawing(snap)
    lk = _lookups_of(snap)
    missing: list[str] = []
    for node_id in [*entity_ids, *path, *passage_ids]:
        if not drawing.add_id(node_id, "provenance"):
            missing.append(node_id)
    for node_id in path:
        drawing.add_id(node_id, "path")
    for fid in fact_ids:
        row = lk.fact_row.get(fid)
        if row is None:
            missing.append(fid)
            continue
        drawing.add(int(snap.fact_subject[row]), "provenance")
        drawing.add(int(snap.fact_object[row]), "provenance")
    highlighted = {_node_id(snap, v) for v, roles in drawing.roles.items() if "provenance" in roles}
    sources = [snap.vertex_of[p] for p in passage_ids if p in snap.vertex_of]
    per_passage: dict[int, int] = {}
    for row in _mentions_of(lk, sources):
        p, e = int(lk.mention_passage[row]), int(lk.mention_entity[row])
        if e not in drawing.roles and per_passage.get(p, 0) < CONTEXT_ENTITIES_PER_PASSAGE:
            per_passage[p] = per_passage.get(p, 0) + 1
            drawing.add(e, "context")
    edges = _edges(snap, set(drawing.roles), set(fact_ids))
    path_pairs = {frozenset(pair) for pair in zip(path, path[1:], strict=False)}
    for edge in edges:
        ends = frozenset((edge["source"], edge["target"]))
        if edge["kind"] == "mention" and ends <= highlighted:
            edge["marked"] = True
        if edge["kind"] != "mention" and ends in path_pairs:
            edge["marked"] = True
    _name_predicates(retriever, ns, edges)
    nodes = _nodes(drawing, None, _titles(retriever, ns, drawing), {})
    return {"nodes": nodes, "edges": edges, "ppr": False, "missing": sorted(set(missing))}
