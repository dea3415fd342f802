"""Bridge mode: the offline retrieval layer (sentences, their entities, aliases; hippo.retrieve.bridge)
links the query through the sentences and entities most similar to it, then Personalized PageRank
over that layer's graph ranks the passages."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hippo.retrieve.explanation import EntityMass, LinkedEntity, RetrievalExplanation, SeedEntity
from hippo.retrieve.policies.base import TOP_ENTITIES_EXPLAINED, Query, RetrievalPolicy, link_facts, linked_fact_list
from hippo.retrieve.ranking import Ranking, top_k_stable

if TYPE_CHECKING:
    from hippo.retrieve.snapshot import GraphSnapshot


class BridgePolicy(RetrievalPolicy):
    name = "bridge"
    summary = "query linked through similar sentences and their entities (no LLM), Personalized PageRank"

    def rank(self, snap: GraphSnapshot, query: Query) -> Ranking:
        # imported here: the settings read this package's registry, and these read the settings
        from hippo.retrieve import ppr
        from hippo.retrieve.bridge import BridgeParams
        from hippo.retrieve.snapshot import SENTENCE

        index = snap.bridge()
        if index.n_sentences == 0:
            return self.dense_ranking(query, "dense (the graph has no sentences)")
        params = BridgeParams()
        keep = None
        if self.fact_filter is not None:
            fact_filter = self.fact_filter

            def keep(rows: np.ndarray) -> list[int]:
                # recognition memory over the linked sentences: they are this mode's facts
                kept = fact_filter(query.text, [index.sentence_texts[int(r)] for r in rows])
                return [k for k in kept if 0 <= k < len(rows)]

        bm25 = index.lexical_scores(query.text)
        reset, linked = index.reset(query.text, query.vector, query.dense, params, keep, snap.vector_index(SENTENCE),
                                    bm25)
        if keep is not None and not linked["top_sentences"]:
            return self.dense_ranking(query, "dense (no sentence passed the filter)")
        if not np.any(reset > 0):
            return self.dense_ranking(query, "dense (nothing linked)")
        run = ppr.pagerank(index.graph, reset, self.settings.replace(damping=params.damping))
        mass = run.mass
        exp = snap.export
        active: dict[int, float] = linked["active"]
        seeds = sorted(active, key=lambda e: -active[e])[:TOP_ENTITIES_EXPLAINED]
        entity_mass = mass[: snap.n_entities]
        # the triple graph's facts do not seed this mode; the ones most like the query are still
        # listed: the extractive reader and the explorer read them, and they explain the answer
        linked_facts = None
        if exp.fact_ids:
            top_facts, fact_scores = link_facts(snap, query, self.settings.top_facts)
            linked_facts = linked_fact_list(snap, top_facts, fact_scores)
        explanation = RetrievalExplanation(
            mode=self.name,
            linked_facts=linked_facts,
            linked_entities=[LinkedEntity(exp.entity_names[e], exp.entity_names[e], 1.0) for e in linked["lexical"]],
            top_sentences=[index.sentence_texts[int(s)] for s in linked["top_sentences"]],
            seed_entities=[SeedEntity(exp.entity_ids[e], exp.entity_names[e], round(float(active[e]), 6)) for e in seeds],
            passage_seed_weight=params.passage_weight,
            damping=params.damping,
            pagerank=run.info,
            top_entities_by_ppr=[
                EntityMass(exp.entity_ids[v], exp.entity_names[v], round(float(entity_mass[v]), 6))
                for v in top_k_stable(entity_mass, TOP_ENTITIES_EXPLAINED) if entity_mass[v] > 0
            ],
            score_mix=params.score_mix(bm25 is not None),
        )
        final = index.final_scores(mass[snap.n_entities :], linked["prior"], params)
        ranking = Ranking.by_scores(final, explanation)
        self.guard_dense_top(ranking, query, final)
        ranking.mass = mass
        return ranking
