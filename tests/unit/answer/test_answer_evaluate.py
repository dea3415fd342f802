from hippo.answer.evaluate import best_scores, exact_match, normalize_answer, token_f1


def test_normalisation_drops_case_punctuation_articles_and_spaces() -> None:
    assert normalize_answer("  The Skarn  River! ") == "skarn river"
    assert normalize_answer("Maren Tolvik (1931–2002)") == "maren tolvik 1931 2002"
    assert normalize_answer("an apple, a pear") == "apple pear"


def test_exact_match_after_normalisation() -> None:
    assert exact_match("the Ostravel.", "Ostravel") == 1.0
    assert exact_match("Ostravel harbour", "Ostravel") == 0.0


def test_token_f1_is_partial_credit() -> None:
    assert token_f1("town of Pellin", "Pellin") == 0.5
    assert token_f1("Edda Brannock", "Edda Brannock") == 1.0
    assert token_f1("Hask", "Ostravel") == 0.0
    assert token_f1("", "Ostravel") == 0.0


def test_best_scores_take_the_maximum_over_gold_aliases() -> None:
    em, f1 = best_scores("USA", ["United States", "USA"])
    assert (em, f1) == (1.0, 1.0)
    em, f1 = best_scores("the United Kingdom", ["Great Britain", "United Kingdom of Great Britain"])
    assert em == 0.0 and 0.5 < f1 < 1.0
    assert best_scores("anything", []) == (0.0, 0.0)
