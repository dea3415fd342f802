"""HippoRAG 2's seeds on the hand-built graph (tests/support/hand_graph.py), worked out by hand."""

import numpy as np
import pytest

from hippo.config import ConfigError, Settings
from hippo.retrieve.policies.base import Query, Seeds
from hippo.retrieve.policies.hipporag2 import HippoRAG2Policy
from hippo.retrieve.snapshot import GraphSnapshot
from tests.support.hand_graph import QUERY, AxisEmbedder, hand_export

SNAP = GraphSnapshot.build(hand_export())
ROW = {name: i for i, name in enumerate(SNAP.export.entity_names)}


def _query() -> Query:
    return Query("q", QUERY, SNAP.export.passage_emb @ QUERY)


def _seeds(**settings: object) -> Seeds:
    policy = HippoRAG2Policy(Settings().replace(**settings), AxisEmbedder())  # type: ignore[arg-type]
    seeds = policy.seed(SNAP, _query())
    assert isinstance(seeds, Seeds)
    return seeds


def test_specificity_of_the_hand_graph() -> None:
    assert SNAP.entity_passage_count.tolist() == [1, 3, 1, 2, 1]


def test_entity_seed_is_the_sum_of_fact_score_over_specificity_top_k_cut() -> None:
    # top 3 facts: f1 (1.0), f2 (0.5), f4 (0.25); f3 (0.0) is cut
    # alba = 1.0/1; brun = (1.0 + 0.5)/3 = 0.5; cyra dove = (0.5 + 0.25)/1 = 0.75; paris = 0.25/2
    seeds = _seeds(top_facts=3, top_entities=3, passage_weight=0.05)
    assert [f.fact_id for f in seeds.linked_facts or []] == ["f1", "f2", "f4"]
    assert [f.score for f in seeds.linked_facts or []] == [1.0, 0.5, 0.25]
    assert seeds.entity_weight == pytest.approx([1.0, 0.5, 0.75, 0.125, 0.0])
    # the top 3 entities are seeded, best first; paris (0.125) is cut
    assert [SNAP.export.entity_names[v] for v in seeds.entities] == ["alba", "cyra dove", "brun"]
    n_e = SNAP.n_entities
    assert seeds.reset[:n_e] == pytest.approx([1.0, 0.5, 0.75, 0.0, 0.0])


def test_every_passage_is_seeded_with_its_min_max_dense_score_times_the_passage_weight() -> None:
    seeds = _seeds(top_facts=3, top_entities=3, passage_weight=0.05)
    assert seeds.reset[SNAP.n_entities :] == pytest.approx([0.0, 0.05, 0.025])
    assert seeds.passage_weight == 0.05


def test_fewer_facts_and_entities() -> None:
    seeds = _seeds(top_facts=1, top_entities=1, passage_weight=0.5)
    assert seeds.entity_weight == pytest.approx([1.0, 1 / 3, 0.0, 0.0, 0.0])
    assert seeds.entities.tolist() == [ROW["alba"]]
    assert seeds.reset == pytest.approx([1.0, 0, 0, 0, 0, 0.0, 0.5, 0.25])


def test_filter_keeps_the_facts_it_names_and_falls_back_to_dense_when_none() -> None:
    settings = Settings().replace(top_facts=3, top_entities=5)
    keep_second = HippoRAG2Policy(settings, AxisEmbedder(), lambda q, facts: [1])  # type: ignore[arg-type]
    seeds = keep_second.seed(SNAP, _query())
    assert isinstance(seeds, Seeds) and [f.fact_id for f in seeds.linked_facts or []] == ["f2"]
    assert seeds.entity_weight == pytest.approx([0.0, 0.5 / 3, 0.5, 0.0, 0.0])
    keep_none = HippoRAG2Policy(settings, AxisEmbedder(), lambda q, facts: [])  # type: ignore[arg-type]
    assert keep_none.seed(SNAP, _query()) == "dense (no fact passed the filter)"
    ranking = keep_none.rank(SNAP, _query())
    assert ranking.explanation.fallback == "dense (no fact passed the filter)" and ranking.mass is None
    assert ranking.rows.tolist() == [1, 2, 0]  # by dense similarity


def test_rank_runs_pagerank_from_the_seeds_and_explains_them() -> None:
    policy = HippoRAG2Policy(Settings().replace(top_facts=3, top_entities=3), AxisEmbedder())  # type: ignore[arg-type]
    ranking = policy.rank(SNAP, _query())
    assert ranking.mass is not None and ranking.mass.sum() == pytest.approx(1.0)
    exp = ranking.explanation
    assert exp.mode == "hipporag2" and exp.damping == Settings().damping
    assert [(e.name, e.weight) for e in exp.seed_entities or []] == [("alba", 1.0), ("cyra dove", 0.75), ("brun", 0.5)]
    passage_mass = ranking.mass[SNAP.n_entities :]
    assert ranking.scores.tolist() == sorted(passage_mass.tolist(), reverse=True)
    assert exp.to_dict()["seed_entities"][0] == {"entity_id": "e-alba", "name": "alba", "weight": 1.0}
    assert list(exp.to_dict()) == ["mode", "linked_facts", "seed_entities", "passage_seed_weight", "damping", "pagerank",
                                   "top_entities_by_ppr"]


def test_a_graph_without_facts_ranks_by_dense() -> None:
    export = hand_export()
    export.fact_ids, export.fact_subjects, export.fact_objects, export.fact_texts = [], [], [], []
    export.fact_emb = np.zeros((0, export.fact_emb.shape[1]), np.float32)
    snap = GraphSnapshot.build(export)
    policy = HippoRAG2Policy(Settings(), AxisEmbedder())  # type: ignore[arg-type]
    assert policy.seed(snap, Query("q", QUERY, snap.export.passage_emb @ QUERY)) == "dense (the graph has no facts)"


def test_mean_entity_seed_averages_the_linked_facts_naming_the_entity() -> None:
    # alba: f1 -> 1.0; brun: (1.0/3 + 0.5/3) / 2 = 0.25; cyra dove: (0.5 + 0.25) / 2 = 0.375; paris: 0.25/2
    seeds = _seeds(top_facts=3, top_entities=3, entity_seed="mean")
    assert seeds.entity_weight == pytest.approx([1.0, 0.25, 0.375, 0.125, 0.0])
    assert [SNAP.export.entity_names[v] for v in seeds.entities] == ["alba", "cyra dove", "brun"]
    assert seeds.reset[: SNAP.n_entities] == pytest.approx([1.0, 0.25, 0.375, 0.0, 0.0])


def test_entity_seed_is_validated() -> None:
    with pytest.raises(ConfigError, match="entity_seed must be sum or mean"):
        Settings(entity_seed="max")


def test_dense_guard_keeps_dense_best_passage_near_the_top() -> None:
    # the graph puts p1 (alba's passage) first; dense ranks p2 first, and with no slack the guard keeps it there
    settings = Settings().replace(top_facts=1, top_entities=1)
    unguarded = HippoRAG2Policy(settings, AxisEmbedder()).rank(SNAP, _query())  # type: ignore[arg-type]
    assert unguarded.rows[0] == 0
    guarded = HippoRAG2Policy(settings.replace(dense_guard=1, dense_guard_slack=0),
                              AxisEmbedder()).rank(SNAP, _query())  # type: ignore[arg-type]
    assert guarded.rows.tolist() == [1] + [r for r in unguarded.rows.tolist() if r != 1]
    slack = HippoRAG2Policy(settings.replace(dense_guard=1, dense_guard_slack=1),
                            AxisEmbedder()).rank(SNAP, _query())  # type: ignore[arg-type]
    assert 1 in slack.rows[:2].tolist()
