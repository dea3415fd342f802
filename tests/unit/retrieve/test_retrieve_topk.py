"""top_k_stable must pick exactly what the full stable sort picks, ties and NaNs included: the
ranking semantics of the query path rest on it."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hippo.retrieve.ranking import top_k_stable

# few distinct values so that ties (the case a careless partition gets wrong) are common
_scores = arrays(np.float64, st.integers(0, 300), elements=st.sampled_from([0.0, -0.0, 0.25, 0.5, 1.0, -1.0, np.nan]))


@settings(max_examples=300, deadline=None)
@given(_scores, st.integers(-1, 320))
def test_matches_the_full_stable_sort(scores: np.ndarray, k: int) -> None:
    expected = np.argsort(-scores, kind="stable")[: max(k, 0)]
    assert top_k_stable(scores, k).tolist() == expected.tolist()


def test_ties_keep_index_order_on_a_large_vector() -> None:
    scores = np.zeros(100_000)
    scores[[70_000, 5, 99_999, 42]] = [1.0, 0.5, 0.5, 0.5]
    assert top_k_stable(scores, 3).tolist() == [70_000, 5, 42]
    assert top_k_stable(scores, 6).tolist() == [70_000, 5, 42, 99_999, 0, 1]


def test_bounded_demotion_keeps_protected_rows_within_the_slack() -> None:
    from hippo.retrieve.ranking import bounded_demotion

    rows = np.array([5, 6, 7, 8, 0, 1, 2])
    # dense's best two (0, 1) may fall at most one place: 0 at position <= 1, 1 at position <= 2
    assert bounded_demotion(rows, np.array([0, 1]), 1).tolist() == [5, 0, 1, 6, 7, 8, 2]
    # a protected row the graph already ranks high stays where it is
    assert bounded_demotion(np.array([1, 0, 9]), np.array([0]), 1).tolist() == [1, 0, 9]
    assert bounded_demotion(rows, np.array([], dtype=int), 1).tolist() == rows.tolist()
    assert bounded_demotion(rows, np.array([2]), 0).tolist() == [2, 5, 6, 7, 8, 0, 1]
