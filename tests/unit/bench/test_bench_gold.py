from hippo.bench.datasets import CorpusEntry, Gold, Question, entry_doc_id
from hippo.bench.gold import GoldIndex, compact


def _entry(title: str, text: str) -> CorpusEntry:
    return CorpusEntry(doc_id=entry_doc_id(title, text), title=title, text=text)


CORPUS = [
    _entry("Ed Wood (film)", "Ed Wood is a 1994 American biographical film."),
    _entry("Café Society", "Café Society is a 2016 film\u00a0by Woody Allen."),
    _entry("Scott Derrickson", "Scott Derrickson (born July 16, 1966) is an American director. He lives in LA."),
    _entry("Chunked", "Part one."),
    _entry("Chunked", "Part two."),
]


def _question(gold: list[Gold], mode: str = "passage") -> Question:
    return Question(id="q", question="?", answers=[], gold=gold, gold_match=mode)


def test_whitespace_and_unicode_variants_match_exactly() -> None:
    index = GoldIndex(CORPUS)
    target = index.target(_question([
        Gold("Ed Wood (film)", "Ed  Wood is a 1994\nAmerican biographical film. "),
        # decomposed é (e + combining accent) and a plain space instead of a no-break space
        Gold("Cafe\u0301 Society", "Cafe\u0301 Society is a 2016 film by Woody Allen."),
    ]))
    assert target.keys == [CORPUS[0].doc_id, CORPUS[1].doc_id]
    assert target.levels["exact"] == 2 and not target.unmatched


def test_looser_levels_are_counted() -> None:
    index = GoldIndex(CORPUS)
    target = index.target(_question([
        Gold("ed wood (Film)", "Ed Wood is a 1994 American biographical film"),  # case, punctuation
        Gold("Wrong Title", "Scott Derrickson (born July 16, 1966) is an American director. He lives in LA."),
        Gold("Scott Derrickson", "Scott Derrickson (born July 16, 1966) is an American director."),  # truncated
    ]))
    assert target.keys == [CORPUS[0].doc_id, CORPUS[2].doc_id]  # the same doc counts once
    assert target.levels == {"compact": 1, "text_only": 1, "title_prefix": 1}


def test_unmatched_gold_is_reported_not_dropped() -> None:
    index = GoldIndex(CORPUS)
    target = index.target(_question([
        Gold("Ed Wood (film)", "Ed Wood is a 1994 American biographical film."),
        Gold("Nowhere", "This passage is not in the corpus."),
    ]))
    assert target.keys == [CORPUS[0].doc_id]
    assert target.unmatched == ["Nowhere"]


def test_title_mode_matches_any_passage_with_the_title() -> None:
    index = GoldIndex(CORPUS)
    target = index.target(_question([Gold("chunked", None), Gold("Missing", None)], mode="title"))
    assert target.mode == "title"
    assert target.keys == [compact("Chunked")]
    assert target.unmatched == ["Missing"]
    ranked = index.ranked_keys([CORPUS[4].doc_id, CORPUS[0].doc_id], "title")
    assert ranked[0] == target.keys[0]


def test_gold_without_text_falls_back_to_title_mode() -> None:
    index = GoldIndex(CORPUS)
    target = index.target(_question([Gold("Ed Wood (film)", None)]))
    assert target.mode == "title" and target.keys == [compact("Ed Wood (film)")]
