"""Work planners: what a recipe's work items are. GraphGen's modes take subgraphs from a
partitioner; EntiGraph, LongForm and WRAP take documents or passages; deep-research questions
take long walks; TreeSynth takes the leaves of a task tree. Every planner returns ``Subgraph``
objects (an id for resume, the units to read, and for per-document work the item's own
passages), so budget, filters, formats, provenance and resume stay the pipeline's one job."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from hippo.store.base import GraphStore
from hippo.synth.kinds import EntityKinds
from hippo.synth.partition import PartitionOptions, Subgraph, partition
from hippo.synth.topology import Topology
from hippo.synth.treesynth_tree import build_tree
from hippo.text import stable_id

if TYPE_CHECKING:
    from hippo.synth.options import SynthOptions

# deep-research walks: intermediate entities must be describable, not bare years or amounts
_UNDESCRIBABLE = {"time", "number"}
MAX_WALK_EXPANSIONS = 5000  # per start entity, so a hub cannot stall planning


@dataclass
class PlanContext:
    store: GraphStore
    ns: str
    topo: Topology
    options: SynthOptions
    priority: Mapping[str, float]
    kinds: EntityKinds


@dataclass
class WorkPlan:
    items: list[Subgraph]
    stats: dict[str, Any] = field(default_factory=dict)  # what the report needs (pairs possible, tree …)


Planner = Callable[[PlanContext], WorkPlan]
PLANNERS: dict[str, Planner] = {}


def register_planner(name: str) -> Callable[[Planner], Planner]:
    def deco(fn: Planner) -> Planner:
        PLANNERS[name] = fn
        return fn

    return deco


def _priority_of(ctx: PlanContext, unit_ids: list[str]) -> float:
    values = [ctx.priority[u] for u in unit_ids if u in ctx.priority]
    return max(values) if values else 0.0


@register_planner("subgraph")
def plan_subgraphs(ctx: PlanContext) -> WorkPlan:
    o = ctx.options
    items = partition(o.partitioner, ctx.topo, ctx.priority, PartitionOptions(o.max_depth, o.max_units, o.max_tokens, o.seed))
    return WorkPlan(items, {"work": "subgraph", "items": len(items)})


def _units_by_passage(topo: Topology) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    ents: dict[str, list[str]] = defaultdict(list)
    facts: dict[str, list[str]] = defaultdict(list)
    for e, ps in topo.entity_passages.items():
        for p in ps:
            ents[p].append(e)
    for f, ps in topo.fact_passages.items():
        for p in ps:
            facts[p].append(f)
    return ents, facts


def _passages_by_document(ctx: PlanContext) -> tuple[dict[str, list[tuple[int, str]]], dict[str, str]]:
    docs: dict[str, list[tuple[int, str]]] = defaultdict(list)
    titles: dict[str, str] = {}
    for batch in ctx.store.iter_passages(ctx.ns):
        for p in batch:
            docs[p.doc_id].append((p.position, p.id))
            titles.setdefault(p.doc_id, p.title)
    return docs, titles


@register_planner("document")
def plan_documents(ctx: PlanContext) -> WorkPlan:
    ents, facts = _units_by_passage(ctx.topo)
    docs, titles = _passages_by_document(ctx)
    items: list[Subgraph] = []
    pairs_possible = 0
    for doc_id in sorted(docs):
        pids = [p for _, p in sorted(docs[doc_id])]
        e_ids = sorted({e for p in pids for e in ents.get(p, ())})
        f_ids = sorted({f for p in pids for f in facts.get(p, ())})
        if not e_ids:
            continue
        pairs_possible += math.comb(len(e_ids), 2)
        items.append(
            Subgraph("document", e_ids, f_ids, doc_id, id=stable_id("doc", doc_id), passage_ids=pids,
                     attrs={"doc_id": doc_id, "title": titles.get(doc_id, "")})
        )
    items.sort(key=lambda sg: (-_priority_of(ctx, sg.unit_ids), sg.seed_unit))
    return WorkPlan(items, {"work": "document", "items": len(items), "entity_pairs_possible": pairs_possible})


@register_planner("passage")
def plan_passages(ctx: PlanContext) -> WorkPlan:
    ents, facts = _units_by_passage(ctx.topo)
    docs, titles = _passages_by_document(ctx)
    items: list[Subgraph] = []
    for doc_id in sorted(docs):
        for _, pid in sorted(docs[doc_id]):
            items.append(
                Subgraph("passage", sorted(ents.get(pid, ())), sorted(facts.get(pid, ())), pid,
                         id=stable_id("psgitem", pid), passage_ids=[pid],
                         attrs={"doc_id": doc_id, "title": titles.get(doc_id, "")})
            )
    items.sort(key=lambda sg: (-_priority_of(ctx, sg.unit_ids), sg.seed_unit))
    return WorkPlan(items, {"work": "passage", "items": len(items)})


def _distances(topo: Topology, start: str, limit: int) -> dict[str, int]:
    dist = {start: 0}
    frontier = [start]
    for depth in range(1, limit + 1):
        nxt = []
        for e in frontier:
            for f in topo.incident.get(e, ()):
                n = topo.other_end(f, e)
                if n not in dist:
                    dist[n] = depth
                    nxt.append(n)
        frontier = nxt
    return dist


def geodesic_walks(topo: Topology, kinds: EntityKinds, start: str, hops: int, limit: int) -> list[tuple[list[str], list[str]]]:
    """Walks of exactly ``hops`` facts from ``start`` along which every entity is one step
    farther from the start than the one before: no shortcut exists, so answering takes every
    lookup. Returns (entity path, fact path) pairs, at most ``limit``, with distinct ends."""
    dist = _distances(topo, start, hops)
    out: list[tuple[list[str], list[str]]] = []
    ends: set[str] = set()
    expansions = 0

    def walk(path: list[str], facts: list[str]) -> None:
        nonlocal expansions
        if len(out) >= limit or expansions > MAX_WALK_EXPANSIONS:
            return
        here = path[-1]
        if len(facts) == hops:
            if here not in ends:
                ends.add(here)
                out.append((list(path), list(facts)))
            return
        for f in topo.incident.get(here, ()):
            expansions += 1
            n = topo.other_end(f, here)
            if dist.get(n) != len(facts) + 1:
                continue
            if len(facts) + 1 < hops and kinds.of(n) in _UNDESCRIBABLE:
                continue
            path.append(n)
            facts.append(f)
            walk(path, facts)
            path.pop()
            facts.pop()

    walk([start], [])
    return out


@register_planner("walk")
def plan_walks(ctx: PlanContext) -> WorkPlan:
    o = ctx.options
    starts = sorted(
        (e for e in ctx.topo.entity_ids if ctx.kinds.of(e) not in _UNDESCRIBABLE),
        key=lambda e: (-ctx.priority.get(e, 0.0), -ctx.topo.degree(e), e),
    )
    items: list[Subgraph] = []
    seen: set[frozenset[str]] = set()
    cap = 2 * o.budget  # room for rejections without walking the whole graph
    for start in starts:
        if len(items) >= cap:
            break
        for path, facts in geodesic_walks(ctx.topo, ctx.kinds, start, o.walk_hops, o.walks_per_start):
            key = frozenset(facts)
            if key in seen:  # the same walk found from its other end
                continue
            seen.add(key)
            items.append(Subgraph("walk", path, facts, start, chain=path, id=stable_id("walk", "\t".join(facts))))
    return WorkPlan(items, {"work": "walk", "items": len(items), "hops": o.walk_hops})


@register_planner("tree")
def plan_tree(ctx: PlanContext) -> WorkPlan:
    o = ctx.options
    tree = build_tree(ctx.topo, ctx.kinds, o.tree_levels, o.seed)
    quota = max(1, math.ceil(o.budget / max(1, len(tree.leaves))))
    by_top: dict[str, list[tuple[tuple[str, ...], list[str]]]] = defaultdict(list)
    for path, facts in sorted(tree.leaves.items()):
        by_top[path[0]].append((path, facts))
    # round-robin over the top-level branches, so a small budget still spreads over the tree
    order: list[tuple[tuple[str, ...], list[str]]] = []
    branches = [by_top[k] for k in sorted(by_top)]
    while any(branches):
        for branch in branches:
            if branch:
                order.append(branch.pop(0))
    items: list[Subgraph] = []
    for path, facts in order:
        ranked = sorted(facts, key=lambda f: (-ctx.priority.get(f, 0.0), f))[: max(quota * 2, 2)]
        ents = sorted({e for f in ranked for e in ctx.topo.fact_ends[f]})
        label = tree.leaf_label(path)
        items.append(Subgraph("tree", ents, ranked, ranked[0], id=stable_id("leaf", label),
                              attrs={"leaf": label, "quota": quota, "leaf_facts": len(facts)}))
    stats = {"work": "tree", "items": len(items), "levels": list(tree.levels), "leaves": len(tree.leaves),
             "quota": quota, "tree": tree.to_dict(), "leaf_labels": [tree.leaf_label(p) for p in sorted(tree.leaves)]}
    return WorkPlan(items, stats)


def plan(work: str, ctx: PlanContext) -> WorkPlan:
    return PLANNERS[work](ctx)
