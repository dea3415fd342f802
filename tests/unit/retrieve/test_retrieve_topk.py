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
