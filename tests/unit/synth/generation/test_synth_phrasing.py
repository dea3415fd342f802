"""Offline question wording: natural questions from predicates and entity kinds, and the
fallback when no natural form fits."""

from __future__ import annotations

import pytest

from hippo.kinds import name_kind
from hippo.synth.generation.phrasing import ask_object, ask_subject, base_of_past, describe_object, describe_subject


@pytest.mark.parametrize("word,base", [("founded", "found"), ("translated", "translate"), ("studied", "study"),
                                       ("stopped", "stop"), ("named", "name"), ("owned", "own"), ("wrote", "write"),
                                       ("died", "die"), ("produced", "produce"), ("joined", "join")])
def test_past_tense_to_base_form(word: str, base: str) -> None:
    assert base_of_past(word) == base


def test_questions_read_as_a_person_would_ask_them() -> None:
    assert ask_subject("The Glass Orchard", "wrote", "person") == "Who wrote The Glass Orchard?"
    assert ask_object("Maren Tolvik", "born in", "place", "Ostravel") == "Where was Maren Tolvik born?"
    assert ask_object("Brannock and Sons", "founded by", "person", "Edda Brannock") == "Who founded Brannock and Sons?"
    assert ask_object("Brannock and Sons", "founded in", "date", "1861") == "When was Brannock and Sons founded?"
    assert ask_object("Maren Tolvik", "wrote", "work", "The Glass Orchard") == "What did Maren Tolvik write?"
    assert ask_object("Skarn River", "flows for", "number", "412 kilometres") == "How many kilometres does Skarn River flow for?"
    assert ask_object("Edda Brannock", "studied at", "organisation", "University of Hask") == "What did Edda Brannock study at?"
    assert ask_subject("Maren Tolvik", "novel by", "work") == "What is the novel by Maren Tolvik?"


def test_multi_hop_descriptions_hide_the_bridge() -> None:
    author = describe_subject("The Glass Orchard", "wrote", "person", "person")
    assert author == "the author of The Glass Orchard"
    assert ask_object(author, "born in", "place", "Ostravel") == "Where was the author of The Glass Orchard born?"
    assert describe_object("Maren Tolvik", "born in", "place", "town") == "the town where Maren Tolvik was born"


def test_no_natural_form_gives_none() -> None:
    assert ask_subject("novelist", "is", "person") is None  # "Who is a novelist?" has many answers
    assert ask_object("Ostravel", "harbour town", "thing", "x") is None


def test_name_shapes() -> None:
    assert name_kind("1974") == "date" and name_kind("eleven languages") == "number"
    assert name_kind("Skarn River") == "place" and name_kind("Brannock and Sons") == "organisation"
    assert name_kind("Maren Tolvik") is None
