"""EntiGraph's work: one item per document, with every entity its passages mention; the plan
counts the entity pairs all documents hold (what the report's pair coverage is measured
against)."""

from __future__ import annotations

import math

from hippo.synth.partition import Subgraph
from hippo.synth.planning import PlanContext, WorkPlan, passages_by_document, priority_of, units_by_passage
from hippo.text import stable_id


def plan_documents(ctx: PlanContext) -> WorkPlan:
    ents, facts = units_by_passage(ctx.topo)
    docs, titles = passages_by_document(ctx)
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
    items.sort(key=lambda sg: (-priority_of(ctx, sg.unit_ids), sg.seed_unit))
    return WorkPlan(items, {"work": "document", "items": len(items), "entity_pairs_possible": pairs_possible})

