import pytest

from hippo.answer.answer_type import answer_type


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("In which town was the author of The Glass Orchard born?", "place"),
        ("Who founded Brannock and Sons?", "person"),
        ("Who directed the film which won the prize?", "person"),  # the first question word decides
        ("When was the University of Hask founded?", "date"),
        ("In what year did the war end?", "date"),
        ("How many languages was The Glass Orchard translated into?", "number"),
        ("Where is the Ostravel Lighthouse?", "place"),
        ("What is the capital of Veldmark?", "place"),
        ("Which company built the lighthouse?", "organisation"),
        ("What nationality is Ivo Brennic?", "group"),
        ("Was Maren Tolvik a novelist?", "boolean"),
        ("Is the Skarn River longer or shorter than the Ulden?", "any"),
        ("What did Edda Brannock design?", "any"),
    ],
)
def test_answer_type_of_questions(question: str, kind: str) -> None:
    assert answer_type(question).kind == kind


def test_specific_types_carry_ner_labels() -> None:
    assert "PERSON" in answer_type("Who wrote it?").labels
    assert {"GPE", "LOC"} <= answer_type("Where was she born?").labels
    assert not answer_type("What did she design?").specific
