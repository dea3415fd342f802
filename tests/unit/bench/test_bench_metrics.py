import numpy as np

from hippo.bench.baselines import dense_search, reciprocal_rank_fusion
from hippo.bench.metrics import all_evidence_at_k, dedupe, mean, percentile, recall_at_k


def test_recall_counts_gold_in_top_k_only() -> None:
    ranked = ["a", "x", "b", "y", "c"]
    assert recall_at_k(ranked, ["a", "b"], 2) == 0.5
    assert recall_at_k(ranked, ["a", "b"], 3) == 1.0
    assert recall_at_k(ranked, ["c", "z"], 5) == 0.5


def test_recall_without_gold_is_zero_not_success() -> None:
    assert recall_at_k(["a"], [], 5) == 0.0
    assert all_evidence_at_k(["a"], [], 5) is False


def test_all_evidence_needs_every_gold() -> None:
    ranked = ["a", "x", "b", "y", "c", "d"]
    assert all_evidence_at_k(ranked, ["a", "b", "c"], 5)
    assert not all_evidence_at_k(ranked, ["a", "b", "d"], 5)


def test_dedupe_keeps_first_rank_and_drops_empty() -> None:
    assert dedupe(["d1", "d2", "d1", "", "d3", "d2"]) == ["d1", "d2", "d3"]


def test_percentile_and_mean() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.5
    assert abs(percentile(values, 95) - 95.05) < 1e-9
    assert percentile([], 50) == 0.0
    assert mean([1.0, 2.0, 6.0]) == 3.0


def test_rrf_rewards_agreement_between_lists() -> None:
    bm25 = ["a", "b", "c"]
    dense = ["c", "d", "a"]
    fused = reciprocal_rank_fusion([bm25, dense])
    # a: 1/61 + 1/63, c: 1/63 + 1/61 tie -> first seen order (a before c); both beat single-list b, d
    assert fused[:2] == ["a", "c"]
    assert set(fused[2:]) == {"b", "d"}
    assert fused.index("b") < fused.index("d")  # rank 2 in its list against rank 2: b seen first


def test_rrf_constant_changes_weight_of_top_ranks() -> None:
    lists = [["a"], ["c", "x", "y", "b"], ["d", "z", "w", "b"]]
    # a tiny constant lets one first place win; a large one favours appearing in two lists
    assert reciprocal_rank_fusion(lists, k_const=1)[0] == "a"
    assert reciprocal_rank_fusion(lists, k_const=1000)[0] == "b"


def test_dense_search_orders_by_cosine() -> None:
    matrix = np.array([[1.0, 0.0], [0.0, 1.0], [0.6, 0.8]], dtype=np.float32)
    hits = dense_search(np.array([0.0, 1.0], dtype=np.float32), matrix, 2)
    assert [i for i, _ in hits] == [1, 2]
    assert dense_search(np.array([1.0, 0.0]), matrix[:0], 3) == []
