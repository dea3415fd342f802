"""HippoRAG 1's seeds on the hand-built graph: each query phrase (real spaCy) links to its nearest
entity, weight 1 / node specificity; passages are not seeded."""

import pytest

from hippo.config import Settings
from hippo.index.extract.spacy_extractor import query_entities
from hippo.retrieve.policies.base import Query, Seeds
from hippo.retrieve.policies.hipporag1 import HippoRAG1Policy
from hippo.retrieve.snapshot import GraphSnapshot
from tests.support.hand_graph import QUERY, AxisEmbedder, hand_export

SNAP = GraphSnapshot.build(hand_export())
QUESTION = "Who married Cyra Dove in Paris?"


def test_each_query_entity_weighs_one_over_its_specificity() -> None:
    assert query_entities(QUESTION) == ["Cyra Dove", "Paris"]
    policy = HippoRAG1Policy(Settings(), AxisEmbedder())  # type: ignore[arg-type]
    seeds = policy.seed(SNAP, Query(QUESTION, QUERY, SNAP.export.passage_emb @ QUERY))
    assert isinstance(seeds, Seeds)
    # cyra dove is in 1 passage, paris in 2
    assert seeds.entity_weight == pytest.approx([0.0, 0.0, 1.0, 0.5, 0.0])
    assert [SNAP.export.entity_names[v] for v in seeds.entities] == ["cyra dove", "paris"]
    assert seeds.reset == pytest.approx([0.0, 0.0, 1.0, 0.5, 0.0, 0.0, 0.0, 0.0])  # no passage seeds
    assert [(e.phrase, e.entity, e.similarity) for e in seeds.linked_entities or []] == [
        ("Cyra Dove", "cyra dove", 1.0), ("Paris", "paris", 1.0)]


def test_rank_explains_linked_entities_without_passage_seeds() -> None:
    policy = HippoRAG1Policy(Settings(), AxisEmbedder())  # type: ignore[arg-type]
    exp = policy.rank(SNAP, Query(QUESTION, QUERY, SNAP.export.passage_emb @ QUERY)).explanation
    assert exp.mode == "hipporag1" and exp.passage_seed_weight == 0.0 and exp.linked_facts is None
    assert "linked_entities" in exp.to_dict() and "linked_facts" not in exp.to_dict()


def test_no_query_entity_falls_back_to_dense() -> None:
    policy = HippoRAG1Policy(Settings(), AxisEmbedder())  # type: ignore[arg-type]
    assert policy.seed(SNAP, Query("?", QUERY, SNAP.export.passage_emb @ QUERY)) == "dense (no query entity linked)"
