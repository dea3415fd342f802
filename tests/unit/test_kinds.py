"""The one entity-kind guesser (hippo.kinds): head nouns, name shapes, what a fact says of its
ends, and the one kind synthesis takes."""

from __future__ import annotations

from collections import Counter

from hippo.kinds import HEAD_NOUNS, KINDS, fact_votes, guess_kind, head_kind, name_kind, noun_for, predicate_between


def test_one_table_one_spelling() -> None:
    assert set(HEAD_NOUNS.values()) <= set(KINDS)
    assert HEAD_NOUNS["organisation"] == HEAD_NOUNS["organization"] == "organisation"
    assert "organization" not in KINDS


def test_head_noun_decides_the_kind() -> None:
    assert head_kind("harbour town") == "place"
    assert head_kind("town of pellin") == "place"
    assert head_kind("harbour town in") == "place"
    assert head_kind("engineering firm") == "organisation"
    assert head_kind("novelist") == "person"
    assert head_kind("salt market") is None


def test_name_shapes() -> None:
    assert name_kind("1974") == "date" and name_kind("12th century") == "date"
    assert name_kind("eleven languages") == "number" and name_kind("412 kilometres") == "number"
    assert name_kind("Skarn River") == "place" and name_kind("Brannock and Sons") == "organisation"
    assert name_kind("University of Hask") == "organisation" and name_kind("River") is None
    assert name_kind("Maren Tolvik") is None


def test_nouns_for_describing_an_entity() -> None:
    assert noun_for("Skarn River", "place") == "river"
    assert noun_for("Brannock and Sons", "organisation") == "firm"
    assert noun_for("University of Hask", "organisation") == "university"
    assert noun_for("1861", "date") == "year"


def test_the_predicate_is_what_lies_between_the_names() -> None:
    assert predicate_between("Tolvik born in Ostravel", "Tolvik", "Ostravel") == "born in"
    assert predicate_between("Ostravel is harbour town", "Ostravel", "harbour town") == "is"


def test_what_a_fact_says_about_its_ends() -> None:
    assert ("subject", "place", 2) in fact_votes("Ostravel is harbour town", "Ostravel", "harbour town")
    assert ("object", "place", 2) in fact_votes("capital is Hask", "capital", "Hask")
    assert ("subject", "place", 1) in fact_votes("Ostravel harbour town in Veldmark", "Ostravel", "Veldmark")
    born = fact_votes("Tolvik born in Lisk", "Tolvik", "Lisk")
    assert ("object", "place", 1) in born and ("subject", "person", 1) in born
    assert all(kind != "place" for _, kind, _ in fact_votes("Brannock founded in 1861", "Brannock", "1861"))


def test_one_kind_name_first_then_the_strongest_vote_then_the_name_pattern() -> None:
    assert guess_kind("1861", Counter({"place": 5})) == "date"
    assert guess_kind("Lisk", Counter({"place": 1, "person": 2})) == "person"
    assert guess_kind("Maren Tolvik", None) == "person"
    assert guess_kind("The Glass Orchard", None) == "thing"
