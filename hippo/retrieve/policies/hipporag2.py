"""HippoRAG 2: link the query to facts, seed the entities of the best facts (weighted by fact score
over node specificity) and every passage (by dense similarity), then Personalized PageRank."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hippo.retrieve.policies.base import GraphPolicy, Query, Seeds, link_facts, linked_fact_list
from hippo.retrieve.ranking import min_max

if TYPE_CHECKING:
    from hippo.retrieve.snapshot import GraphSnapshot


class HippoRAG2Policy(GraphPolicy):
    name = "hipporag2"
    summary = "query-to-fact linking, entity and passage seeds, Personalized PageRank"
    fuses_dense = True

    def seed(self, snap: GraphSnapshot, query: Query) -> Seeds | str:
        s = self.settings
        exp = snap.export
        if not exp.fact_ids:
            return "dense (the graph has no facts)"
        top_facts, fact_scores = link_facts(snap, query, s.top_facts)
        if self.fact_filter is not None:
            keep = self.fact_filter(query.text, [exp.fact_texts[i] for i in top_facts])
            top_facts = top_facts[[k for k in keep if 0 <= k < len(top_facts)]]
            if top_facts.size == 0:
                return "dense (no fact passed the filter)"

        entity_weight = np.zeros(snap.n_entities)
        facts_naming = np.zeros(snap.n_entities)
        for f in top_facts:
            for v in (snap.fact_subject[f], snap.fact_object[f]):
                if v >= 0:
                    entity_weight[v] += fact_scores[int(f)] / max(snap.entity_passage_count[v], 1.0)
                    facts_naming[v] += 1
        if s.entity_seed == "mean":
            # HippoRAG 2's code: an entity named by several linked facts is not worth more for it
            np.divide(entity_weight, facts_naming, out=entity_weight, where=facts_naming > 0)
        # only the few entities of the linked facts carry weight: rank those, not all entities
        weighted = np.flatnonzero(entity_weight > 0)
        seeds = weighted[np.argsort(-entity_weight[weighted], kind="stable")[: s.top_entities]]

        reset = np.zeros(snap.n_vertices)
        reset[seeds] = entity_weight[seeds]
        reset[snap.n_entities :] = min_max(query.dense) * s.passage_weight
        return Seeds(
            reset=reset, entities=seeds, entity_weight=entity_weight, passage_weight=s.passage_weight,
            linked_facts=linked_fact_list(snap, top_facts, fact_scores),
        )
