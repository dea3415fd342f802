"""Entity candidates and triples for non-Latin scripts, and the gate that keeps English text on
the spaCy path unchanged."""

from __future__ import annotations

import pytest

from hippo.index.extract import scripts
from hippo.index.extract.spacy_extractor import SpacyExtractor, query_entities
from hippo.types import Passage


@pytest.mark.parametrize("text, expected", [
    ("Maren Tolvik wrote The Glass Orchard in Bergen.", False),
    ("Moscow (Russian: Москва) is the capital of Russia.", False),  # a name in parentheses: still English
    ("Москва является столицей России.", True),
    ("القاهرة هي عاصمة مصر", True),
    ("東京は日本の首都です", True),
    ("12345 !!!", False),
])
def test_only_mostly_non_latin_text_takes_the_script_path(text: str, expected: bool) -> None:
    assert scripts.mostly_non_latin(text) is expected


def test_candidates_per_script() -> None:
    ja = [c.text for c in scripts.candidates("隅田川のほとりには浅草寺がある")]
    assert ja[:3] == ["隅田川", "隅田", "田川"] and "浅草寺" in ja and not any("の" in c for c in ja)
    assert "カタカナ" in [c.text for c in scripts.candidates("これはカタカナです")]
    zh = [c.text for c in scripts.candidates("北京是中国的首都")]
    assert "北京" in zh and "首都" in zh and not any("的" in c or "是" in c for c in zh)
    ko = [c.text for c in scripts.candidates("서울은 대한민국의 수도이다")]
    assert ko[:2] == ["서울", "대한민국"]  # particles 은 and 의 dropped
    ru = [c.text for c in scripts.candidates("Через город протекает река Москва")]
    assert "Москва" in ru and "Через" not in ru  # a stop word
    ar = [c.text for c in scripts.candidates("القاهرة هي عاصمة مصر")]
    assert ar == ["القاهرة", "عاصمة", "مصر"]  # هي is a stop word


def test_triples_use_the_words_between_as_the_predicate() -> None:
    entities, triples = scripts.extract("Москва является столицей России. Кремль находится в центре.")
    assert entities[:2] == ["Москва", "является"]
    assert [(t.subject, t.predicate, t.object) for t in triples][0] == ("Москва", "является", "столицей")
    assert all(t.predicate for t in triples)


def test_the_extractor_and_query_linking_use_the_script_path_only_for_non_latin_text() -> None:
    extractor = SpacyExtractor()
    japanese, english = extractor.extract([
        Passage(id="p1", doc_id="d1", title="", text="東京は日本の首都です。浅草寺は東京にある。"),
        Passage(id="p2", doc_id="d2", title="", text="Maren Tolvik wrote The Glass Orchard in Bergen."),
    ])
    assert japanese.error is None and "東京" in japanese.entities and "浅草寺" in japanese.entities
    assert not any(len(e) > 10 for e in japanese.entities)  # no passage-long "entity"
    assert japanese.triples
    assert "Maren Tolvik" in english.entities and not any(scripts.mostly_non_latin(e) for e in english.entities)
    assert query_entities("浅草寺はどこにある") == scripts.query_candidates("浅草寺はどこにある")
    assert "浅草寺" in query_entities("浅草寺はどこにある")
