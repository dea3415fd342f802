import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from hippo.retrieve.specificity import passage_counts
from hippo.text import entity_key


def naive_counts(names: list[str], mentions: list[tuple[int, int]]) -> list[float]:
    passages_of_word: dict[str, set[int]] = {}
    for e, p in mentions:
        for w in entity_key(names[e]).split():
            passages_of_word.setdefault(w, set()).add(p)
    out = []
    for e, name in enumerate(names):
        own = len({p for x, p in mentions if x == e})
        words = entity_key(name).split()
        rarest = min((len(passages_of_word.get(w, set())) for w in words), default=own)
        out.append(float(max(own, rarest)))
    return out


def test_a_phrase_of_common_words_counts_as_common() -> None:
    names = ["novels", "Maren Tolvik", "her novels", "Anders Tolvik", "early novels"]
    mentions = [(0, 0), (1, 0), (1, 1), (2, 1), (3, 2), (4, 3), (1, 3)]
    counts = passage_counts(names, np.array([e for e, _ in mentions]), np.array([p for _, p in mentions]))
    # "novels" is mentioned once, but three passages mention an entity with that word
    assert counts[0] == 3
    # a name is as rare as its rarest word: "maren" is in two passages, "tolvik" in three
    assert counts[1] == 3  # its own mention count (passages 0, 1, 3) is larger than "maren"'s bound
    assert counts[3] == 1  # "anders" is in one passage: the name stays specific
    assert list(counts) == naive_counts(names, mentions)


def test_entities_without_words_or_mentions() -> None:
    counts = passage_counts(["!!", "solo"], np.array([0], dtype=np.int64), np.array([0], dtype=np.int64))
    assert list(counts) == [1.0, 0.0]
    assert passage_counts([], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)).size == 0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(["a1", "b2", "c3", "the", "d4"]), min_size=0, max_size=3), min_size=1, max_size=8),
    st.data(),
)
def test_matches_a_direct_count(word_lists: list[list[str]], data: st.DataObject) -> None:
    names = [" ".join(ws) for ws in word_lists]
    mentions = data.draw(st.lists(st.tuples(st.integers(0, len(names) - 1), st.integers(0, 5)), max_size=20))
    counts = passage_counts(
        names, np.array([e for e, _ in mentions], dtype=np.int64), np.array([p for _, p in mentions], dtype=np.int64)
    )
    assert list(counts) == naive_counts(names, mentions)
