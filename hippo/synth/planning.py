"""Work planners shared by recipes, and what every planner gets and returns. GraphGen's modes
take subgraphs from a partitioner; SELF-QA, LongForm and WRAP take passages. Recipes with work
of their own plan it in their folder (EntiGraph documents, deep-research walks, TreeSynth
leaves). Every planner returns ``Subgraph`` objects (an id for resume, the units to read, and
for per-document work the item's own passages), so budget, filters, formats, provenance and
resume stay the pipeline's one job."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from hippo.store.base import GraphStore
from hippo.synth.kinds import EntityKinds
from hippo.synth.optionspec import RecipeOptions
from hippo.synth.partition import PartitionOptions, Subgraph, partition
from hippo.synth.topology import Topology
from hippo.text import stable_id

if TYPE_CHECKING:
    from hippo.synth.options import SynthOptions

K = TypeVar("K", bound=RecipeOptions)


@dataclass
class PlanContext:
    store: GraphStore
    ns: str
    topo: Topology
    options: SynthOptions
    priority: Mapping[str, float]
    kinds: EntityKinds

    def knobs(self, cls: type[K]) -> K:
        """The recipe's own options for this run."""
        return self.options.knobs(cls)


@dataclass
class WorkPlan:
    items: list[Subgraph]
    stats: dict[str, Any] = field(default_factory=dict)  # what the report needs (pairs possible, tree …)


def priority_of(ctx: PlanContext, unit_ids: list[str]) -> float:
    values = [ctx.priority[u] for u in unit_ids if u in ctx.priority]
    return max(values) if values else 0.0


def plan_subgraphs(ctx: PlanContext) -> WorkPlan:
    o = ctx.options
    items = partition(o.partitioner, ctx.topo, ctx.priority, PartitionOptions(o.max_depth, o.max_units, o.max_tokens, o.seed))
    return WorkPlan(items, {"work": "subgraph", "items": len(items)})


def units_by_passage(topo: Topology) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    ents: dict[str, list[str]] = defaultdict(list)
    facts: dict[str, list[str]] = defaultdict(list)
    for e, ps in topo.entity_passages.items():
        for p in ps:
            ents[p].append(e)
    for f, ps in topo.fact_passages.items():
        for p in ps:
            facts[p].append(f)
    return ents, facts


def passages_by_document(ctx: PlanContext) -> tuple[dict[str, list[tuple[int, str]]], dict[str, str]]:
    docs: dict[str, list[tuple[int, str]]] = defaultdict(list)
    titles: dict[str, str] = {}
    for batch in ctx.store.iter_passages(ctx.ns):
        for p in batch:
            docs[p.doc_id].append((p.position, p.id))
            titles.setdefault(p.doc_id, p.title)
    return docs, titles


def plan_passages(ctx: PlanContext) -> WorkPlan:
    ents, facts = units_by_passage(ctx.topo)
    docs, titles = passages_by_document(ctx)
    items: list[Subgraph] = []
    for doc_id in sorted(docs):
        for _, pid in sorted(docs[doc_id]):
            items.append(
                Subgraph("passage", sorted(ents.get(pid, ())), sorted(facts.get(pid, ())), pid,
                         id=stable_id("psgitem", pid), passage_ids=[pid],
                         attrs={"doc_id": doc_id, "title": titles.get(doc_id, "")})
            )
    items.sort(key=lambda sg: (-priority_of(ctx, sg.unit_ids), sg.seed_unit))
    return WorkPlan(items, {"work": "passage", "items": len(items)})


