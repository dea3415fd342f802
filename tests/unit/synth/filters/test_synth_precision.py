"""The precision rules of offline pairs, on the classes of bad pair a real run produced."""

from __future__ import annotations

from hippo.synth.filters.precision import (
    fact_problem,
    name_problem,
    predicate_problem,
    question_problem,
    question_shape_problem,
)
from hippo.synth.filters.roundtrip import same_answer
from hippo.synth.recipes.multi_hop.chains import Chain
from hippo.synth.recipes.multi_hop.recipe import hop_problem
from hippo.synth.records import Candidate, Provenance
from hippo.synth.report.quality import question_hops
from hippo.synth.topology import Topology
from hippo.synth.units import FactUnit


def _fact(s: str, p: str, o: str, sentence: str, pid: str = "p1", fid: str = "f1") -> FactUnit:
    return FactUnit(fid, f"e:{s}", s, p, f"e:{o}", o, sentence, [pid])


def test_generic_head_nouns_pronouns_and_partial_names_are_not_answers() -> None:
    assert name_problem("town", "She was born in the town of Morrow.") == "generic"
    assert name_problem("river", "The river runs through Barley.") == "generic"
    assert name_problem("former admiral", "The leader was a former admiral.") == "generic"
    assert name_problem("town of Cardre", "He was born in the town of Cardre.") == "generic"
    assert name_problem("she", "She was born in Morrow.") == "pronoun"
    assert name_problem("Edda Brannock", "She studied at the University of Hask.") == "not_in_sentence"
    assert name_problem("Daughter", "The Orchard Keeper's Daughter is a novel.") == "partial_name"
    assert name_problem("Sons", "Brannock and Sons built it.") == "partial_name"
    assert name_problem("1980 novel", "The Glass Bell is a 1980 novel.") == "generic"


def test_names_dates_and_counts_copied_from_the_sentence_stand() -> None:
    assert name_problem("Morrow", "She was born in the town of Morrow.") is None
    assert name_problem("ostravel", "Maren Tolvik was born in Ostravel.") is None  # canonical lower case
    assert name_problem("The Glass Orchard", "The Glass Orchard won a prize.") is None
    assert name_problem("1632", "It was founded in 1632.") is None
    assert name_problem("thirty years", "He kept it for thirty years.") is None
    # a sentence-initial word is a name only when the passages write it capitalised mid-sentence
    assert name_problem("Salmon", "Salmon fishing is regulated.") == "generic"
    assert name_problem("Hask", "Hask is a city.", "The capital is Hask.") is None


def test_a_fact_pair_needs_its_predicate_stated_and_both_ends_named() -> None:
    kept = _fact("Anders Tolvik", "kept for", "thirty years", "Anders Tolvik kept the lighthouse for thirty years.")
    assert fact_problem(kept, "thirty years", "Anders Tolvik") == "predicate_not_in_sentence"
    river = _fact("River Dunmarch", "flows through", "city", "The River Dunmarch flows through the city.")
    assert fact_problem(river, "River Dunmarch", "city") == "question_entity_generic"
    born = _fact("author", "born in", "town", "The author was born in the town of Morrow.")
    assert fact_problem(born, "town", "author") == "answer_generic"
    good = _fact("Glass Houses", "is novel by", "Greta Vask", "Glass Houses is a novel by Greta Vask.")
    assert fact_problem(good, "Greta Vask", "Glass Houses") is None
    assert predicate_problem("is novel by", good.sentence) is None


def test_a_question_names_neither_answer_nor_bridge_nor_a_placeholder() -> None:
    assert question_problem("What reaches the thing that appears in fiction?", "Skarn River") == "ill_formed_question"
    assert question_problem("Fill in the blank: X wrote ____.", "Y") == "ill_formed_question"
    assert question_problem("Who wrote The Skarn River?", "Skarn River") == "answer_in_question"
    assert question_problem("Who was Ilse Marrow and what did he write?", "Winter Orchard", ("Ilse Marrow",)) == "names_bridge"
    assert question_problem("Where was the author of Glass Houses born?", "Morrow", ("Greta Vask",)) is None


def _chain(same_passage: bool) -> tuple[Chain, Candidate]:
    first = _fact("Greta Vask", "wrote", "Glass Houses", "Greta Vask wrote Glass Houses.", "p1", "f1")
    second = _fact("Greta Vask", "born in", "Morrow", "Greta Vask was born in Morrow.", "p1" if same_passage else "p2", "f2")
    chain = Chain("e:Glass Houses", "e:Greta Vask", "e:Morrow", first, second)
    cand = Candidate("Where was the author of Glass Houses born?", "Morrow.", "multi_hop", "template",
                     Provenance(sorted({"p1", second.passage_ids[0]}), ["f1", "f2"], chain.path), path=chain.path)
    return chain, cand


def test_multi_hop_needs_two_passages_and_an_unnamed_bridge() -> None:
    names = {"e:Glass Houses": "Glass Houses", "e:Greta Vask": "Greta Vask", "e:Morrow": "Morrow"}
    chain, cand = _chain(same_passage=False)
    texts = {"p1": "Greta Vask wrote Glass Houses.", "p2": "Greta Vask was born in Morrow."}
    assert hop_problem(cand, chain, names, texts) is None
    chain1, cand1 = _chain(same_passage=True)
    assert hop_problem(cand1, chain1, names, {"p1": texts["p1"] + " " + texts["p2"]}) == "single_passage"
    # a passage that states start and answer together answers the question alone
    assert hop_problem(cand, chain, names, {**texts, "p2": "Glass Houses was written in Morrow."}) == "single_passage"
    cand.question = "Where was Greta Vask, the author of Glass Houses, born?"
    assert hop_problem(cand, chain, names, texts) == "names_bridge"


def test_report_counts_question_hops_not_graph_paths() -> None:
    topo = Topology(["a", "b", "c"], {"a": "Glass Houses", "b": "Ilse Marrow", "c": "Morrow"}, {}, {}, {}, {})
    meta = {"mode": "multi_hop", "path": ["a", "b", "c"], "hops": 2}
    assert question_hops("Where was the author of Glass Houses born?", meta, topo) == 2
    assert question_hops("Who was Ilse Marrow and what did he write?", meta, topo) == 1
    assert question_hops("Where was the author of Glass Houses born?", {**meta, "hops": None}, topo) == 1


def test_round_trip_answers_match_whole_keys_only() -> None:
    assert same_answer("the Skarn River", "Skarn River")
    assert not same_answer("River", "Skarn River")
    assert not same_answer("", "Morrow")


def test_hollow_questions_class_answers_and_many_subject_questions_are_refused() -> None:
    assert question_problem("What is the in Manhattan?", "Brooklyn Bridge") == "ill_formed_question"
    assert question_problem("What is Jan Philip Solovej a from?", "University of Copenhagen") == "ill_formed_question"
    assert question_problem("What is the ghost town in Morton County?", "Sims") is None
    fm = _fact("CJCI-FM", "is", "Canadian radio station", "CJCI-FM is a Canadian radio station.")
    assert question_shape_problem(fm, "Canadian radio station") == "class_answer"
    day = _fact("Good Governance Day", "was established in", "2014", "Good Governance Day was established in 2014.")
    assert question_shape_problem(day, "Good Governance Day") == "ambiguous_question"
    assert question_shape_problem(day, "2014") is None
