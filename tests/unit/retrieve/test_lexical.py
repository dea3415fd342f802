"""BM25 over the retrieval layer's sentences, and its share of the bridge mode's passage prior."""

import math

import numpy as np

from hippo.retrieve.bridge import BridgeIndex, BridgeParams, bridge_arrays
from hippo.retrieve.columns import StringColumn
from hippo.retrieve.lexical import K1, B, LexicalIndex, terms

# passage 0 has two sentences, passage 1 one, passage 2 none
TEXTS = ["Maren Tolvik was born in Ostravel.", "The harbour of Ostravel is old.", "Skarn is a river."]
SENTENCE_PASSAGE = np.array([0, 0, 1])


def test_terms_drop_stopwords_and_single_ascii_letters_but_keep_other_scripts() -> None:
    assert terms("The Ostravel of B. Tolvik, 1930") == ["ostravel", "tolvik", "1930"]
    assert terms("東京 は 首都") == ["東京", "は", "首都"]


def test_scores_are_okapi_bm25_over_each_passage_sentences() -> None:
    index = LexicalIndex.build(TEXTS, SENTENCE_PASSAGE, 3)
    # document length: the terms of all its sentences
    lengths = [len(terms(TEXTS[0])) + len(terms(TEXTS[1])), len(terms(TEXTS[2]))]
    avg = sum(lengths) / 2
    idf = math.log(1 + (2 - 1 + 0.5) / (1 + 0.5))  # "ostravel" is in one of the two non-empty passages
    tf = 2
    expected = idf * tf * (K1 + 1) / (tf + K1 * (1 - B + B * lengths[0] / avg))
    scores = index.scores("Where is Ostravel? ostravel!")  # a repeated query term counts once
    assert math.isclose(scores[0], expected, rel_tol=1e-6)
    assert scores[1] == 0 and scores[2] == 0
    assert index.scores("nothing shared").tolist() == [0.0, 0.0, 0.0]


def test_an_empty_layer_scores_zero() -> None:
    assert LexicalIndex.build([], np.zeros(0, np.int64), 2).scores("Ostravel").tolist() == [0.0, 0.0]


def _bridge() -> BridgeIndex:
    # two passages, no entities named: only the passage prior seeds PageRank
    index = BridgeIndex(
        version=1, entity_ids=["e"], entity_names=["Unrelated"], entity_emb=np.zeros((1, 2), np.float32),
        passage_ids=["p0", "p1"], passage_emb=np.zeros((2, 2), np.float32),
        sentence_passage=np.array([0, 1]), sentence_emb=np.eye(2, dtype=np.float32),
        mention_sentence=np.zeros(0, np.int64), mention_entity=np.zeros(0, np.int64),
        alias_pairs=np.zeros((0, 2), np.int64),
    )
    index.set_texts(StringColumn.of(["Tolvik sailed from Ostravel.", "A quiet harbour town."]))
    return index


def test_the_lexical_share_moves_the_prior_toward_the_passage_sharing_the_query_words() -> None:
    index = _bridge()
    dense = np.array([0.2, 0.6])  # dense prefers p1
    query = np.array([0.0, 0.0])
    text = "When did Tolvik leave Ostravel?"
    bm25 = index.lexical_scores(text)
    dense_only, _ = index.reset(text, query, dense, BridgeParams(lexical_share=0.0), bm25=bm25)
    mixed, _ = index.reset(text, query, dense, BridgeParams(lexical_share=0.5), bm25=bm25)
    p0, p1 = index.n_entities, index.n_entities + 1
    assert dense_only[p1] > dense_only[p0] == 0.0
    assert math.isclose(mixed[p0], mixed[p1])  # BM25 ranks p0 first as firmly as dense ranks p1


def test_the_lexical_index_is_saved_with_the_layout() -> None:
    arrays = bridge_arrays(_bridge())
    loaded = LexicalIndex.from_arrays(arrays, 2)
    assert loaded.scores("Ostravel").tolist() == _bridge().lexical.scores("Ostravel").tolist()  # type: ignore[union-attr]


def test_the_final_score_mixes_pagerank_mass_with_the_passage_prior() -> None:
    index = _bridge()
    mass = np.array([0.1, 0.3])  # PageRank prefers p1
    dense = np.array([0.5, 0.4])  # dense and BM25 prefer p0
    bm25 = index.lexical_scores("Ostravel")
    prior = index.passage_prior(dense, bm25, BridgeParams())
    alone = index.final_scores(mass, prior, BridgeParams(prior_share=0.0))
    assert alone.tolist() == mass.tolist()
    # min-max: mass (0, 1), prior (1, 0); a share above one half lets the prior win
    assert np.allclose(index.final_scores(mass, prior, BridgeParams(prior_share=0.3)), [0.3, 0.7])
    assert np.allclose(index.final_scores(mass, prior, BridgeParams(prior_share=0.6)), [0.6, 0.4])
    assert BridgeParams(prior_share=0.0).score_mix(True) is None
    assert BridgeParams(prior_share=0.3).score_mix(True) == {"pagerank": 0.7, "dense": 0.15, "bm25": 0.15}
    assert BridgeParams(prior_share=0.3).score_mix(False) == {"pagerank": 0.7, "dense": 0.3, "bm25": 0.0}
