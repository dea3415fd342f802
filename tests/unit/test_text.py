from hippo.text import entity_id, entity_key, normalize_passage, normalize_phrase, passage_id, split_sentences


def test_normalize_keeps_letters_of_every_script() -> None:
    assert normalize_phrase("Ærøskøbing") == "ærøskøbing"
    assert normalize_phrase("東京都") == "東京都"
    assert normalize_phrase("Москва!") == "москва"
    assert normalize_phrase("القاهرة") == "القاهرة"


def test_normalize_folds_case_width_and_punctuation() -> None:
    assert normalize_phrase("  The   BEATLES!! ") == "the beatles"
    assert normalize_phrase("ＡＢＣ") == "abc"  # NFKC folds full-width letters
    assert normalize_phrase("Straße") == normalize_phrase("STRASSE")  # casefold, not lower
    assert normalize_phrase("e\u0301") == normalize_phrase("é")  # combining mark composes


def test_ids_are_stable_and_normalised() -> None:
    assert entity_id("The Beatles") == entity_id("the  beatles.")
    assert entity_id("The Beatles") != entity_id("The Rolling Stones")


def test_a_leading_the_does_not_split_an_entity() -> None:
    assert entity_id("The Glass Orchard") == entity_id("Glass Orchard") == entity_id("the glass orchard")
    assert entity_key("The Hague") == "hague"
    assert entity_key("The") == "the"  # nothing left after the article: the word itself
    assert entity_key("Theodore Roosevelt") == "theodore roosevelt"  # a word, not the article
    assert entity_key("Anne of the Thousand Days") == "anne of the thousand days"
    assert passage_id("T", "a  b\n c") == passage_id("T", "a b c")
    assert normalize_passage("a\u00a0b") == "a b"


def test_sentences_end_at_western_and_full_width_marks_and_at_blank_lines() -> None:
    text = "Ostravel is a town. Is it? Yes!  它在北京。 它很大！\n\nA heading without a stop\nand its line"
    assert split_sentences(text) == [
        "Ostravel is a town.", "Is it?", "Yes!", "它在北京。", "它很大！", "A heading without a stop\nand its line",
    ]
    assert split_sentences("  \n\n ") == []
    assert split_sentences("3.5 percent, not 3. 5") == ["3.5 percent, not 3.", "5"]  # a mark needs white space after
