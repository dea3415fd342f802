"""Synthetic knowledge graphs shaped like a HippoRAG index, for scale curves without a model.

Proportions follow the offline musique index (per passage: ~12 entity mentions, ~7.5 facts, a few
synonym edges); entity popularity is Zipf-like so that hubs exist, as in real text. Embeddings are
random unit vectors: PPR and query-time linking cost the same whatever the vectors mean.
"""

from __future__ import annotations

import numpy as np

from hippo.types import GraphExport, SynonymEdge

MENTIONS_PER_PASSAGE = 12
FACTS_PER_PASSAGE = 7.5
SYNONYMS_PER_PASSAGE = 2.5
ENTITIES_PER_PASSAGE = 12
EDGES_PER_PASSAGE = MENTIONS_PER_PASSAGE + FACTS_PER_PASSAGE + SYNONYMS_PER_PASSAGE


def _unit_rows(rng: np.random.Generator, n: int, dim: int) -> np.ndarray:
    rows = rng.standard_normal((n, dim), dtype=np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True) + 1e-12
    return rows


def _popular(rng: np.random.Generator, n_entities: int, size: int) -> np.ndarray:
    """Entity indices drawn with Zipf-like popularity (exponent 0.9)."""
    weights = 1.0 / np.arange(1, n_entities + 1, dtype=np.float64) ** 0.9
    weights /= weights.sum()
    return rng.choice(n_entities, size=size, p=weights)


def synthetic_export(target_edges: int, dim: int = 384, seed: int = 0) -> GraphExport:
    """A GraphExport with about ``target_edges`` edges (before parallel edges merge)."""
    rng = np.random.default_rng(seed)
    n_passages = max(1, round(target_edges / EDGES_PER_PASSAGE))
    n_entities = max(2, n_passages * ENTITIES_PER_PASSAGE // 2)  # entities are shared between passages
    n_facts = round(n_passages * FACTS_PER_PASSAGE)
    n_mentions = n_passages * MENTIONS_PER_PASSAGE
    n_synonyms = round(n_passages * SYNONYMS_PER_PASSAGE)

    entity_ids = [f"ent-{i:032x}" for i in range(n_entities)]
    passage_ids = [f"psg-{i:032x}" for i in range(n_passages)]
    fact_ids = [f"fact-{i:032x}" for i in range(n_facts)]

    subj = _popular(rng, n_entities, n_facts)
    obj = _popular(rng, n_entities, n_facts)
    fact_passage = rng.integers(0, n_passages, n_facts)
    mention_passage = np.repeat(np.arange(n_passages), MENTIONS_PER_PASSAGE)
    mention_entity = _popular(rng, n_entities, n_mentions)
    syn_a = rng.integers(0, n_entities, n_synonyms)
    syn_b = rng.integers(0, n_entities, n_synonyms)

    synonyms = [
        SynonymEdge(a=entity_ids[min(a, b)], b=entity_ids[max(a, b)], weight=float(w))
        for a, b, w in zip(syn_a, syn_b, rng.uniform(0.8, 1.0, n_synonyms), strict=True)
        if a != b
    ]
    return GraphExport(
        version=1,
        passage_ids=passage_ids,
        passage_emb=_unit_rows(rng, n_passages, dim),
        entity_ids=entity_ids,
        entity_names=[f"entity {i}" for i in range(n_entities)],
        entity_emb=_unit_rows(rng, n_entities, dim),
        fact_ids=fact_ids,
        fact_subjects=[entity_ids[i] for i in subj],
        fact_objects=[entity_ids[i] for i in obj],
        fact_texts=[f"entity {s} relates to entity {o}" for s, o in zip(subj, obj, strict=True)],
        fact_emb=_unit_rows(rng, n_facts, dim),
        fact_support=[(passage_ids[p], fact_ids[f]) for f, p in enumerate(fact_passage)],
        mentions=[(passage_ids[p], entity_ids[e]) for p, e in zip(mention_passage, mention_entity, strict=True)],
        synonyms=synonyms,
    )
