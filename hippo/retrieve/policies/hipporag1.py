"""HippoRAG 1: the query's named entities, each linked to its nearest entity node and weighted by
one over its node specificity, seed Personalized PageRank; passages are not seeded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from hippo.retrieve.explanation import LinkedEntity
from hippo.retrieve.policies.base import GraphPolicy, Query, Seeds

if TYPE_CHECKING:
    from hippo.retrieve.snapshot import GraphSnapshot


class HippoRAG1Policy(GraphPolicy):
    name = "hipporag1"
    summary = "query entities linked to their nearest entity nodes, Personalized PageRank"

    def seed(self, snap: GraphSnapshot, query: Query) -> Seeds | str:
        from hippo.index.extract.spacy_extractor import query_entities

        exp = snap.export
        phrases = query_entities(query.text)
        if not phrases or snap.n_entities == 0:
            return "dense (no query entity linked)"
        vecs = self.embedder.embed(phrases)
        nearest, sims = snap.entity_index.search(vecs, 1)
        weight = np.zeros(snap.n_entities)
        links = []
        for phrase, v, sim in zip(phrases, nearest[:, 0], sims[:, 0], strict=True):
            if v < 0:
                continue
            weight[v] += 1.0 / max(snap.entity_passage_count[v], 1.0)
            links.append(LinkedEntity(phrase, exp.entity_names[v], round(float(sim), 4)))
        seeds = np.flatnonzero(weight)
        reset = np.zeros(snap.n_vertices)
        reset[seeds] = weight[seeds]
        return Seeds(reset=reset, entities=seeds, entity_weight=weight, linked_entities=links)
