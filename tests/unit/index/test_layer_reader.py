"""The passage reader of the retrieval layer, on the real spaCy pipeline: alias merging beyond
string identity (surnames, shorter name forms, acronyms, possessives, pronouns of the title)."""

from __future__ import annotations

import pytest

from hippo.index.extract.spacy_extractor import load_spacy
from hippo.index.sentence_layer import layer_names, read_layer
from hippo.types import PassageLayer


@pytest.fixture(scope="module")
def read() -> object:
    nlp = load_spacy("")

    def reader(title: str, text: str) -> PassageLayer:
        return read_layer(nlp(text), title)

    return reader


def names(layer: PassageLayer, k: int) -> list[str]:
    return layer.sentences[k].entities


def test_a_surname_and_a_pronoun_stand_for_the_full_name(read) -> None:  # type: ignore[no-untyped-def]
    layer = read("Mahatma Gandhi", "Mahatma Gandhi was an Indian lawyer. Gandhi led the Salt March in 1930. "
                                   "He was born in Porbandar.")
    assert "Mahatma Gandhi" in names(layer, 1) and "Gandhi" not in names(layer, 1)
    assert "Salt March" in names(layer, 1) and "1930" in names(layer, 1)
    assert set(names(layer, 2)) == {"Porbandar", "Mahatma Gandhi"}
    assert ("Gandhi", "Mahatma Gandhi") in layer.aliases


def test_a_shorter_form_of_a_person_named_before_is_the_same_person(read) -> None:  # type: ignore[no-untyped-def]
    layer = read("Psychology", "G. Stanley Hall founded the journal. Later Stanley Hall moved to Clark University.")
    assert "G. Stanley Hall" in names(layer, 1)
    assert ("Stanley Hall", "G. Stanley Hall") in layer.aliases


def test_an_acronym_is_the_name_whose_initials_it_spells_and_possessives_drop(read) -> None:  # type: ignore[no-untyped-def]
    layer = read("", "The National Aeronautics and Space Administration (NASA) was founded in 1958. "
                     "NASA's budget grew in the 1960s.")
    full = "National Aeronautics and Space Administration"
    assert full in names(layer, 1) and not any("NASA" in n for n in names(layer, 1))
    assert ("NASA", full) in layer.aliases
    assert set(layer_names(layer)) >= {full, "NASA"}


def test_counts_are_no_entities_and_every_sentence_is_kept(read) -> None:  # type: ignore[no-untyped-def]
    layer = read("Lake Tana", "Lake Tana is the largest lake in Ethiopia. It has 37 islands.")
    assert [s.position for s in layer.sentences] == [0, 1]
    assert not any(any(ch.isdigit() for ch in n) for n in names(layer, 1))
    assert {"Lake Tana", "Ethiopia"} <= set(names(layer, 0))
