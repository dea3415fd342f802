"""Rules added after the second, independent audit (issue 16, sheets
``benchmarks/results/synth-audit/*-f232527.audit.md``): each test builds the shape of a pair the
reviewer rejected (names and sentences invented, not copied) and checks that the rule drops it
and keeps its well-formed neighbour."""

from __future__ import annotations

import random

from hippo.synth.filters.precision import (
    cut_sentence,
    fact_problem,
    listed,
    name_problem,
    question_shape_problem,
    surname_of,
)
from hippo.synth.filters.selfcontained import self_containedness_problem
from hippo.synth.generation.phrasing import ask_object, ask_subject, base_of_past, parse_predicate
from hippo.synth.generation.verifiable import quantity_shape, unlinked_same_kind
from hippo.synth.kinds import EntityKinds
from hippo.synth.records import Candidate, Provenance
from hippo.synth.topology import Topology
from hippo.synth.units import FactUnit
from tests.support.synth_units import written_fact as _fact


# 1. a surname for a person
def test_a_one_word_name_that_ends_a_person_s_longer_name_is_a_surname() -> None:
    passage = "Marten Vosk was born in Tarrow. Vosk climbed the peak nine times."
    sentence = "Vosk climbed the peak nine times."
    assert surname_of("Vosk", passage)
    assert name_problem("Vosk", sentence, passage) == "surname"
    assert name_problem("Tarrow", "Vosk was born in Tarrow.", passage) is None
    # particles and initials belong to the longer name
    assert surname_of("Pereira", "Joao Carlos da Pereira, known as Joca, is a footballer.")
    # a sentence-opening word is no given name; a name followed by more of itself is not its end
    assert not surname_of("Tarrow", "In Tarrow the river floods.")
    assert not surname_of("Vosk", "The Vosk Prize is awarded yearly.")


def test_a_sentence_initial_name_seen_elsewhere_only_inside_a_longer_name_is_not_proven() -> None:
    passage = "The Orland Brewing Company opened in 1901. Brewing grew fast."
    assert name_problem("Brewing", "Brewing grew fast.", passage) == "generic"


# 2. several true answers
def test_an_item_of_a_list_is_listed_on_either_side_and_after_lowercase_words() -> None:
    assert listed("The club was started by Tomas Reel and investment banker Aron Pike.", "Tomas Reel")
    assert listed("The club was started by Tomas Reel and investment banker Aron Pike.", "Aron Pike")
    cast = "The film stars Ada Lind, Bo Marsh, Cy Oaks and Dee Penn."
    assert listed(cast, "Bo Marsh") and listed(cast, "Ada Lind") and listed(cast, "Dee Penn")
    assert listed("Hail fell in 1998, 2004 and 2011.", "1998")
    assert listed("Hail fell in 1998, 2004 and 2011.", "2011")
    # a place and its tail, or a verb after "and", is no list
    assert not listed("The college is in Corby, Virginia, and is the oldest in the state.", "Corby")
    assert not listed("Nell Farr was born in Dunmore and moved to Leeds in 1990.", "Dunmore")


def test_the_son_of_is_not_a_unique_role() -> None:
    fact = _fact("Aldo Ruiz", "son of", "Pablo Ruiz", "Aldo Ruiz, son of the painter Pablo Ruiz, is a chef.")
    assert question_shape_problem(fact, "Aldo Ruiz") == "ambiguous_question"


def test_cloze_drops_a_blank_that_is_one_item_of_a_list_and_writes_no_two_hop_blank() -> None:
    from types import SimpleNamespace

    from hippo.synth.recipes.cloze.recipe import ClozeRecipe

    sentence = "Hail fell on Orrville in 1998, 2004 and 2011."
    single = "Orrville was founded in 1871."
    facts = {"f1": FactUnit("f1", "e:o", "Orrville", "fell in", "e:y", "2004", sentence, ["p1"]),
             "f2": FactUnit("f2", "e:o", "Orrville", "founded in", "e:z", "1871", single, ["p1"])}
    passage = SimpleNamespace(text=f"{single} {sentence}", title="Orrville")
    item = SimpleNamespace(units=SimpleNamespace(facts=facts, passages={"p1": passage}))
    out = ClozeRecipe().template(item)  # type: ignore[arg-type]
    assert [c.question for c in out] == ["Fill in the blank: Orrville was founded in ____."]
    assert "_chain_cloze" not in ClozeRecipe.__dict__


# 3. the predicate misread
def test_known_by_is_no_agent_and_by_makes_a_passive() -> None:
    fact = _fact("Tolu Ade", "known by", "Eldo", "Tolu Ade, better known by his stage name Eldo, is a rapper.")
    assert question_shape_problem(fact, "Eldo") == "ill_formed_question"
    assert parse_predicate("performed by").form == "agentive"  # type: ignore[union-attr]
    assert ask_subject("Kira Holt", "performed by", "thing") == "What was performed by Kira Holt?"
    assert parse_predicate("located outside").form == "passive"  # type: ignore[union-attr]
    assert ask_object("Harbour Memorial", "located outside", "place") == "What is Harbour Memorial located outside?"


def test_a_participle_in_parentheses_and_a_noun_after_a_number_are_no_verbs() -> None:
    aside = _fact("Marsberg", "spelled", "Marsburg", "Marsberg (spelled Marsburg until 1926) is a town.")
    assert question_shape_problem(aside, "Marsberg") == "predicate_voice"
    starts = _fact("Indy Cups", "starts in", "1994", "He made three Indy Cups starts in 1994.")
    assert question_shape_problem(starts, "1994") == "predicate_not_a_verb"


def test_base_forms_keep_their_e() -> None:
    assert base_of_past("replaced") == "replace"
    assert base_of_past("debuted") == "debut"
    assert base_of_past("attacked") == "attack"


# 4. cut sentences
def test_a_sentence_cut_at_an_abbreviation_or_an_initial_is_truncated() -> None:
    assert cut_sentence("She was an aide to President Harlan B.")
    assert cut_sentence("The area straddles the border between the U.S.")
    assert cut_sentence("It was shown in the spring of 1913 (n.")
    assert cut_sentence("is a crime novel by Ola Berg.")
    passage = "The Guild of St. Loren, Ohio moved up the river. It was shut in 1950."
    assert cut_sentence("Loren, Ohio moved up the river.", passage)
    assert not cut_sentence("It was shut in 1950.", passage)
    fact = _fact("Tam Reyes", "aide to", "Harlan B.", "Tam Reyes served as an aide to President Harlan B.")
    assert fact_problem(fact, "Tam Reyes", "Harlan B.") == "truncated_sentence"


# 5. no referent
def test_a_claim_or_blank_must_name_what_it_is_about() -> None:
    assert self_containedness_problem("True or false: Lake Amble empties into it via the Orr Channel.", "true") == "dangling_reference"
    assert self_containedness_problem("True or false: The venue has hosted the Orr Open since 2008.", "true") == "dangling_reference"
    assert self_containedness_problem("Fill in the blank: This led to an invitation from ____.", "X") == "dangling_reference"
    assert self_containedness_problem("Fill in the blank: Prior to this, Ann Orr lived in ____.", "Leeds") == "dangling_reference"
    assert self_containedness_problem("Fill in the blank: The Orr Open is held in ____.", "Leeds") is None
    assert self_containedness_problem("True or false: Lake Amble empties into Lake Orr.", "true") is None


# 6. and 7. swaps and distractors
def _topology() -> Topology:
    names = {"a": "Castor Hall", "y": "1754", "m": "December", "y2": "1821", "g": "nine games", "g2": "1281 goals",
             "g3": "twelve games", "ca": "Constituent Assembly", "rca": "Russian Constituent Assembly",
             "ba": "Baltic Assembly", "sc": "Scotland", "x": "Estonian Assembly"}
    ends = {"f1": ("a", "y"), "f2": ("a", "g"), "f3": ("a", "ca"), "f4": ("ca", "x")}
    texts = {"f1": "Castor Hall founded in 1754", "f2": "Castor Hall hosted nine games", "f3": "Castor Hall disbanded Constituent Assembly",
             "f4": "Constituent Assembly succeeded by Estonian Assembly"}
    incident: dict[str, list[str]] = {}
    for f, (s, o) in sorted(ends.items()):
        incident.setdefault(s, []).append(f)
        incident.setdefault(o, []).append(f)
    return Topology(sorted(names), names, ends, texts, {f: [f"p{f}"] for f in ends}, {}, incident)


def test_a_date_or_number_swap_keeps_its_shape() -> None:
    assert quantity_shape("1754") == ("year", "") != quantity_shape("December")
    assert quantity_shape("nine games") == quantity_shape("twelve games") != quantity_shape("1281 goals")
    topo = _topology()
    kinds = EntityKinds({"y": "date", "m": "date", "y2": "date", "g": "number", "g2": "number", "g3": "number"}, dict(topo.entity_names))
    assert unlinked_same_kind(topo, kinds, "y", "a", random.Random(0), 3, set(), "f1") == ["1821"]
    assert unlinked_same_kind(topo, kinds, "g", "a", random.Random(0), 3, set(), "f2") == ["twelve games"]


def test_distractors_are_not_inside_the_key_nor_named_by_the_passage_nor_linked_to_the_key() -> None:
    topo = _topology()
    kinds = EntityKinds({e: "organisation" for e in ("ca", "rca", "ba", "x")}, dict(topo.entity_names))
    wrong = unlinked_same_kind(topo, kinds, "ca", "a", random.Random(0), 3, set(), "f3")
    assert wrong == ["Baltic Assembly"]  # not "Russian Constituent Assembly" (holds the key), not Estonian Assembly (linked)
    named = unlinked_same_kind(topo, kinds, "ca", "a", random.Random(0), 3, set(), "f3",
                               context="Castor Hall disbanded the Constituent Assembly, not the Baltic Assembly.")
    assert named == []


def test_true_false_swaps_the_whole_word_occurrence() -> None:
    from hippo.synth.filters.precision import whole_occurrence

    sentence = "The African Rifles served in Africa."
    at = whole_occurrence(sentence, "Africa")
    assert at is not None and sentence[at[0] :] == "Africa."  # str.replace would hit "African"


# 8. mcq through the reader, once
def test_an_mcq_is_deduplicated_and_read_back_by_its_stem() -> None:
    cand = Candidate("Where is Orr located?\nA. Leeds\nB. York", "A. Leeds", "mcq", "template", Provenance(["p1"], ["f1"]),
                     extra={"stem": "Where is Orr located?", "verifiable": True, "answer_key": "Leeds"})
    assert cand.key_text == "Where is Orr located?"


def test_a_surname_the_passage_gives_in_full_is_asked_with_the_full_name() -> None:
    from hippo.synth.filters.precision import full_name, named_in_full
    from hippo.synth.generation.template import atomic_pair

    passage = "Marten Vosk is a climber. Vosk was born in Tarrow."
    fact = _fact("Vosk", "born in", "Tarrow", "Vosk was born in Tarrow.")
    assert full_name("Vosk", passage) == "Marten Vosk"
    assert full_name("Vosk", passage + " Ida Vosk is his sister.") is None  # two people: no one full name
    assert named_in_full(fact, passage, people=frozenset({"e:Vosk"})).subject == "Marten Vosk"
    assert named_in_full(fact, passage).subject == "Vosk"  # only a person's name is filled in
    kinds = EntityKinds({"e:Vosk": "person", "e:Tarrow": "place"}, {"e:Vosk": "Vosk", "e:Tarrow": "Tarrow"})
    cand = atomic_pair(fact, random.Random(0), kinds, passage)
    assert cand.question == "Where was Marten Vosk born?" and cand.extra["answer_key"] == "Tarrow"
    # the surname is never an answer
    assert fact_problem(fact, "Vosk", "Tarrow", passage, asked_as="Who was born in Tarrow?") == "answer_surname"
    assert fact_problem(fact, "Tarrow", "Vosk", passage, asked_as="Where was Vosk born?") == "question_entity_surname"


def test_a_role_held_in_turn_has_many_subjects_and_a_name_also_cut_from_a_title_is_a_guess() -> None:
    led = _fact("Ivo Brandt", "led", "Harlow Hawks", "In 1990 Ivo Brandt led Harlow Hawks.")
    assert question_shape_problem(led, "Ivo Brandt") == "ambiguous_question"
    wrote = _fact("Ivo Brandt", "wrote", "Salt Roads", "Ivo Brandt wrote Salt Roads.")
    assert question_shape_problem(wrote, "Ivo Brandt") is None
    album = "Ivo Brandt Live is an album by Ivo Brandt, released in 1971."
    assert name_problem("Ivo Brandt", album, titles=("Ivo Brandt Live",)) == "partial_name"
    assert listed("She is a member of the Orr Society, the Lee Guild, and a founder of the Ash Club.", "Orr Society")


def test_a_shown_sentence_that_names_a_person_by_surname_or_ends_in_a_colon_does_not_stand() -> None:
    from hippo.synth.filters.precision import names_by_surname
    from hippo.synth.generation.verifiable import standing_end

    passage = "Cory Vane (born 1990) is an actor. Vane is a graduate of Orr High School (class of 2008)."
    fact = FactUnit("f1", "e:o", "Orr High School", "graduate of", "e:y", "2008", passage.split(". ")[1], ["p1"])
    assert names_by_surname(fact.sentence, passage)
    assert standing_end(fact, passage) is None
    assert not names_by_surname("Cory Vane is an actor.", passage)
    assert cut_sentence("Orrin is the name of two villages in Gmina Lesk, Poland:")
    assert cut_sentence("styled Hon.")


def test_wrong_question_word_ranges_state_verbs_and_one_word_people() -> None:
    from hippo.synth.filters.precision import question_word_problem
    from hippo.synth.generation.template import atomic_pair

    assert question_word_problem("What directed Orr Valley?", "Dana Wick", "Orr Valley was directed by Dana Wick.") == "wrong_question_word"
    aired = _fact("Orr Street", "ran from", "1999", "Orr Street ran from 1999 to 2005.")
    assert question_shape_problem(aired, "1999") == "ambiguous_question"
    lives = _fact("Dana Wick", "resides in", "Leeds", "Dana Wick resides in Leeds.")
    assert question_shape_problem(lives, "Dana Wick") == "ambiguous_question"  # "Who resides in Leeds?"
    died = FactUnit("f1", "e:f", "Ottokar", "died in", "e:y", "1190", "Ottokar died in 1190.", ["p1"])
    kinds = EntityKinds({"e:f": "person", "e:y": "date"}, {"e:f": "Ottokar", "e:y": "1190"})
    cand = atomic_pair(died, random.Random(0), kinds, "Ottokar died in 1190.")
    from hippo.synth.generation.template import template_fact_problem

    assert template_fact_problem(cand, {"f1": died}, "Ottokar died in 1190.") == "question_entity_one_word_person"


def test_what_is_not_asked_for_a_name_shaped_like_a_person_s() -> None:
    from hippo.synth.filters.precision import question_word_problem

    assert question_word_problem("What directed Orr Valley?", "Ola Day", "Orr Valley was directed by Ola Day.") == "wrong_question_word"
    assert question_word_problem("What is Ana Wiśniewska the daughter of?", "Stanisław Wiśniewski", "") == "wrong_question_word"
    assert question_word_problem("What is Orr Valley a member of?", "Hall of Fame", "") is None
