"""One registry of modes: what the settings, CLI and API accept is what it lists."""

import pytest

from hippo.config import ConfigError, Settings
from hippo.retrieve.policies.base import Query
from hippo.retrieve.policies.dense import DensePolicy
from hippo.retrieve.policies.registry import DEFAULT_MODE, GRAPH_MODES, MODES, POLICIES, policy_class
from hippo.retrieve.snapshot import GraphSnapshot
from tests.support.hand_graph import QUERY, AxisEmbedder, hand_export


def test_every_mode_names_its_policy() -> None:
    assert MODES == tuple(POLICIES) and DEFAULT_MODE in MODES
    for mode in MODES:
        assert policy_class(mode).name == mode and policy_class(mode).summary
    assert "dense" in MODES and "dense" not in GRAPH_MODES
    with pytest.raises(ValueError, match="unknown mode 'magic'; choose one of"):
        policy_class("magic")


def test_settings_accept_exactly_the_registered_modes() -> None:
    for mode in MODES:
        assert Settings(retrieval_mode=mode).retrieval_mode == mode
    with pytest.raises(ConfigError, match="retrieval_mode must be one of"):
        Settings(retrieval_mode="magic")


def test_dense_policy_ranks_by_similarity() -> None:
    snap = GraphSnapshot.build(hand_export())
    ranking = DensePolicy(Settings(), AxisEmbedder()).rank(  # type: ignore[arg-type]
        snap, Query("q", QUERY, snap.export.passage_emb @ QUERY))
    assert ranking.rows.tolist() == [1, 2, 0] and ranking.scores.tolist() == pytest.approx([0.6, 0.4, 0.2])
    assert ranking.explanation.to_dict() == {"mode": "dense"} and ranking.mass is None
