"""A five-entity, three-passage graph whose seed weights can be worked out by hand.

Vectors live in 6 dimensions: axis 0 is the query's direction, so a fact's or passage's similarity
to the query is the first coordinate it was given; entities sit on axes 1-5, so a phrase embedded
as an entity's axis links to exactly that entity.

    entities (name: passages mentioning it = node specificity)
        alba: 1   brun: 3   cyra dove: 1   paris: 2   emer: 1
    facts (subject - object: similarity to the query -> min-max score)
        f1 alba - brun: 0.9 -> 1.0      f2 brun - cyra dove: 0.5 -> 0.5
        f3 paris - emer: 0.1 -> 0.0     f4 cyra dove - paris: 0.3 -> 0.25
    passages (similarity to the query -> min-max): p1 0.2 -> 0.0, p2 0.6 -> 1.0, p3 0.4 -> 0.5
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from hippo.types import GraphExport

DIM = 6
QUERY = np.eye(DIM, dtype=np.float32)[0]
ENTITIES = ["alba", "brun", "cyra dove", "paris", "emer"]


def _toward_query(similarities: Sequence[float], spare_axis: int) -> np.ndarray:
    """Unit vectors whose dot product with QUERY is each given similarity."""
    rows = np.zeros((len(similarities), DIM), dtype=np.float32)
    for i, s in enumerate(similarities):
        rows[i, 0] = s
        rows[i, spare_axis] = np.sqrt(1 - s * s)
    return rows


def hand_export() -> GraphExport:
    ids = [f"e-{n.replace(' ', '-')}" for n in ENTITIES]
    return GraphExport(
        version=1,
        passage_ids=["p1", "p2", "p3"],
        passage_emb=_toward_query([0.2, 0.6, 0.4], spare_axis=5),
        entity_ids=ids,
        entity_names=list(ENTITIES),
        entity_emb=np.eye(DIM, dtype=np.float32)[1:],
        fact_ids=["f1", "f2", "f3", "f4"],
        fact_subjects=[ids[0], ids[1], ids[3], ids[2]],
        fact_objects=[ids[1], ids[2], ids[4], ids[3]],
        fact_texts=["alba r brun", "brun r cyra dove", "paris r emer", "cyra dove r paris"],
        fact_emb=_toward_query([0.9, 0.5, 0.1, 0.3], spare_axis=4),
        fact_support=[("p1", "f1"), ("p2", "f2"), ("p3", "f3"), ("p2", "f4")],
        mentions=[("p1", ids[0]), ("p1", ids[1]), ("p2", ids[1]), ("p2", ids[2]), ("p2", ids[3]),
                  ("p3", ids[3]), ("p3", ids[4]), ("p3", ids[1])],
        synonyms=[],
    )


class AxisEmbedder:
    """Embeds a phrase as the axis of the entity it names (case-insensitive), else as the query
    direction; stands in for the model so that linking is decided by the test, not by a model."""

    dim = DIM

    def embed_query(self, text: str) -> np.ndarray:
        return QUERY

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            name = text.lower()
            rows[i, 1 + ENTITIES.index(name) if name in ENTITIES else 0] = 1.0
        return rows
