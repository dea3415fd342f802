"""The bridge layout and its reset vector on a graph small enough to work out by hand.

Passages P0 and P1; sentences s0 (in P0, names Alpha and Beta), s1 (in P1, names Beta and
Gamma Delta) and s2 (in P1, names Gamma Delta); sentence embeddings on the axes, so a query's
similarity to each sentence is read straight off its vector.
"""

import math

import numpy as np
import pytest

from hippo.retrieve.bridge import NAMES, BridgeIndex, BridgeParams

ALPHA, BETA, GAMMA = 0, 1, 2
QUERY = np.array([0.8, 0.6, 0.0])  # s0 scores 0.8, s1 0.6, s2 0
# the top sentences are scored in float32, as the embedder's vectors and the index are
TOL = 1e-6


def _index() -> BridgeIndex:
    axes = np.eye(3, dtype=np.float32)
    return BridgeIndex(
        version=1,
        entity_ids=["a", "b", "g"],
        entity_names=["Alpha", "Beta", "Gamma Delta"],
        entity_emb=np.zeros((3, 3), np.float32),
        passage_ids=["p0", "p1"],
        passage_emb=np.zeros((2, 3), np.float32),
        sentence_passage=np.array([0, 1, 1]),
        sentence_emb=axes,
        mention_sentence=np.array([0, 0, 1, 1, 2]),
        mention_entity=np.array([ALPHA, BETA, BETA, GAMMA, GAMMA]),
        alias_pairs=np.zeros((0, 2), np.int64),
    )


def test_mention_edges_weigh_a_passage_share_by_inverse_passage_frequency() -> None:
    index = _index()
    assert index.entity_passages.tolist() == [1, 2, 1]  # Beta is in both passages: the hub
    edges = index.graph.edges[NAMES]
    weight = {(int(s), int(t)): float(w) for s, t, w in zip(edges.src, edges.dst, edges.weight, strict=True)}
    rare, hub = math.log(3 / 2) + 1, 1.0  # idf = log((passages + 1) / (df + 1)) + 1
    # vertices: entities 0..2, then passages 3 (P0) and 4 (P1); P1 names Gamma Delta twice, Beta once
    assert math.isclose(weight[(3, ALPHA)], 0.5 * rare) and math.isclose(weight[(3, BETA)], 0.5 * hub)
    assert math.isclose(weight[(4, BETA)], hub / 3)
    assert math.isclose(weight[(4, GAMMA)], 2 / 3 * rare)


def test_lexical_linking_takes_the_longest_name_and_nothing_inside_it() -> None:
    index = _index()
    assert index.lexical_entities("Where does gamma delta meet beta?") == [GAMMA, BETA]
    assert index.lexical_entities("nothing here") == []


def test_reset_seeds_the_top_sentence_entities_spreads_once_and_seeds_passages() -> None:
    index = _index()
    p = BridgeParams(top_sentences=1, sentences_per_entity=1, rounds=1, threshold=0.2)
    reset, linked = index.reset("no names", QUERY, np.array([0.5, 0.3]), p)
    # seeds: s0's entities at s0's score 0.8; one round: Alpha spreads through s0 (0.8 x 0.8) to
    # Alpha and Beta, then Beta through its best unused sentence s1 (0.8 x 0.6) to Beta and Gamma
    active = linked["active"]
    assert linked["top_sentences"] == [0] and linked["lexical"] == []
    assert math.isclose(active[ALPHA], 0.8 + 0.64, rel_tol=TOL)
    assert math.isclose(active[BETA], 0.8 + 0.64 + 0.48, rel_tol=TOL)
    assert math.isclose(active[GAMMA], 0.48, rel_tol=TOL)
    # entities are seeded with activation over passage frequency
    assert np.allclose(reset[:3], [1.44, 1.92 / 2, 0.48])
    # passages: (1.5 x min-max dense + log1p(sum of log1p(mentions) x activation)) x 0.2
    bonus0 = math.log(2) * (1.44 + 1.92)
    bonus1 = math.log(2) * 1.92 + math.log(3) * 0.48
    assert np.allclose(reset[3:], [(1.5 + math.log1p(bonus0)) * 0.2, math.log1p(bonus1) * 0.2])


def test_activation_below_the_threshold_does_not_spread() -> None:
    index = _index()
    p = BridgeParams(top_sentences=1, sentences_per_entity=1, rounds=3, threshold=0.9)
    _, linked = index.reset("no names", QUERY, np.array([0.5, 0.3]), p)
    assert linked["active"] == {ALPHA: pytest.approx(0.8, rel=TOL), BETA: pytest.approx(0.8, rel=TOL)}  # 0.8 < 0.9: no spreading


def test_a_name_in_the_query_seeds_its_entity_at_full_weight() -> None:
    index = _index()
    p = BridgeParams(top_sentences=0, rounds=0)
    reset, linked = index.reset("what is gamma delta", QUERY, np.array([0.5, 0.3]), p)
    assert linked["lexical"] == [GAMMA]
    assert reset[GAMMA] == 1.0 and reset[ALPHA] == reset[BETA] == 0.0
