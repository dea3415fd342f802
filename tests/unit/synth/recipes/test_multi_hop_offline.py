"""Offline multi-hop: chains of vetted hops found across the whole graph, and the round trip's
second step (the reader answers the hidden bridge, the bridge's own question reads the key)."""

from __future__ import annotations

import random
from types import SimpleNamespace
from typing import Any

import pytest

from hippo.synth.filters import roundtrip
from hippo.synth.filters.precision import object_after_predicate
from hippo.synth.filters.roundtrip import RoundTrip
from hippo.synth.kinds import EntityKinds
from hippo.synth.recipes.multi_hop import planner
from hippo.synth.recipes.multi_hop.chains import Chain
from hippo.synth.recipes.multi_hop.planner import vetted_chains
from hippo.synth.recipes.multi_hop.recipe import hop_stands, stands
from hippo.synth.recipes.multi_hop.template import multi_hop_pair
from hippo.synth.records import Candidate, Provenance
from hippo.synth.topology import Topology
from hippo.synth.units import FactUnit, SubgraphUnits
from hippo.types import Passage

NAMES = {"g": "Glass Houses", "m": "Ira Morrow", "o": "Ostravel", "x": "Tolvik Press"}
FACTS = {
    "f1": FactUnit("f1", "g", "Glass Houses", "was written by", "m", "Ira Morrow",
                   "Glass Houses was written by Ira Morrow.", ["p1"]),
    "f2": FactUnit("f2", "m", "Ira Morrow", "was born in", "o", "Ostravel", "Ira Morrow was born in Ostravel.", ["p2"]),
    # a fact path2 could pair the bridge with instead: its end is a description, no hop stands on it
    "f3": FactUnit("f3", "m", "Ira Morrow", "wrote", "x", "books", "Ira Morrow wrote books for Tolvik Press.", ["p3"]),
}
PASSAGES = {
    "p1": Passage("p1", "d1", "Glass Houses", "Glass Houses was written by Ira Morrow."),
    "p2": Passage("p2", "d2", "Ira Morrow", "Ira Morrow was born in Ostravel."),
    "p3": Passage("p3", "d3", "Tolvik Press", "Ira Morrow wrote books for Tolvik Press."),
}


def _topology() -> Topology:
    ends = {f.id: (f.subject_id, f.object_id) for f in FACTS.values()}
    return Topology(
        entity_ids=sorted(NAMES), entity_names=dict(NAMES), fact_ends=ends,
        fact_texts={f.id: f.triple_text for f in FACTS.values()},
        fact_passages={f.id: list(f.passage_ids) for f in FACTS.values()},
        entity_passages={"g": ["p1"], "m": ["p1", "p2", "p3"], "o": ["p2"], "x": ["p3"]},
        incident={"g": ["f1"], "m": ["f1", "f2", "f3"], "o": ["f2"], "x": ["f3"]},
    )


def _kinds() -> EntityKinds:
    return EntityKinds({"g": "work", "m": "person", "o": "place", "x": "organisation"}, dict(NAMES))


def test_vetted_chains_pair_only_facts_that_stand_in_their_roles(monkeypatch: pytest.MonkeyPatch) -> None:
    units = SubgraphUnits(facts=dict(FACTS), passages=dict(PASSAGES))
    monkeypatch.setattr(planner, "UnitReader", lambda store, ns: SimpleNamespace(read=lambda e, f: units))
    kinds = _kinds()
    ctx: Any = SimpleNamespace(topo=_topology(), store=None, ns="ns")
    found = vetted_chains(ctx, lambda f, known, target, first, u: hop_stands(f, known, target, first, u, kinds),
                          lambda ch, u: stands(ch, u, kinds))
    assert [(sg.chain, sg.fact_ids) for sg in found] == [(["g", "m", "o"], ["f1", "f2"])]


def test_hops_are_checked_in_their_roles() -> None:
    units = SubgraphUnits(facts=dict(FACTS), passages=dict(PASSAGES))
    kinds = _kinds()
    assert hop_stands(FACTS["f1"], "g", "m", True, units, kinds)  # "the author of Glass Houses"
    assert hop_stands(FACTS["f2"], "m", "o", False, units, kinds)  # "Where was … born?"
    assert not hop_stands(FACTS["f3"], "m", "x", False, units, kinds)  # "books" is no name


def _pair() -> Candidate:
    chain = Chain("g", "m", "o", FACTS["f1"], FACTS["f2"])
    return multi_hop_pair(chain, dict(NAMES), random.Random(0), _kinds())


def test_offline_pair_carries_its_second_step() -> None:
    cand = _pair()
    assert cand.question == "Where was the author of Glass Houses born?"
    assert cand.extra["bridge_key"] == "Ira Morrow"
    assert cand.extra["bridge_question"] == "Where was Ira Morrow born?"


class _Reader:
    def __init__(self, answers: dict[str, str]) -> None:
        self.answers = answers

    def read(self, question: str, retrieval: Any, retriever: Any) -> Any:
        return SimpleNamespace(answer=self.answers.get(question, ""))


def _round_trip(monkeypatch: pytest.MonkeyPatch, answers: dict[str, str], retrieved: list[str]) -> RoundTrip:
    monkeypatch.setattr(roundtrip, "retrieve", lambda memory, q, k: SimpleNamespace(passage_ids=retrieved))
    return RoundTrip(memory=Any, top_k=5, reader=_Reader(answers))  # type: ignore[arg-type]


def test_round_trip_reads_a_two_hop_question_in_two_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    cand = _pair()
    rt = _round_trip(monkeypatch, {cand.question: "Ira Morrow", "Where was Ira Morrow born?": "Ostravel"}, ["p2"])
    assert rt.problem(cand) is None
    assert cand.extra["round_trip"] == "two_step"


def test_round_trip_second_step_only_after_the_bridge(monkeypatch: pytest.MonkeyPatch) -> None:
    cand = _pair()  # the reader answers something else than the bridge: no second step
    rt = _round_trip(monkeypatch, {cand.question: "Glass Houses", "Where was Ira Morrow born?": "Ostravel"}, ["p2"])
    assert rt.problem(cand) == "roundtrip_wrong_answer"
    cand = _pair()  # the bridge's question reads another answer
    rt = _round_trip(monkeypatch, {cand.question: "Ira Morrow", "Where was Ira Morrow born?": "Vienna"}, ["p2"])
    assert rt.problem(cand) == "roundtrip_wrong_answer"
    plain = Candidate(cand.question, cand.answer, "multi_hop", "template", Provenance(["p1", "p2"]),
                      extra={"answer_key": "Ostravel"})  # no second step recorded
    rt = _round_trip(monkeypatch, {cand.question: "Ira Morrow"}, ["p2"])
    assert rt.problem(plain) == "roundtrip_wrong_answer"


def _fact(subject: str, predicate: str, obj: str, sentence: str) -> FactUnit:
    return FactUnit("f", "s", subject, predicate, "o", obj, sentence, ["p"])


@pytest.mark.parametrize(("fact", "follows"), [
    (_fact("Hong Kong Island", "was ceded to", "United Kingdom",
           "Hong Kong Island was ceded to the United Kingdom by the Qing dynasty."), True),
    (_fact("Hall", "first president of", "American Psychological Association",
           "Hall, who was the first president of the American Psychological Association, viewed adolescence."), True),
    # the farther name of a place: Dodge City is the seat of Ford County, not of the United States
    (_fact("Dodge City", "is county seat of", "United States",
           "Dodge City is the county seat of Ford County, Kansas, United States."), False),
    (_fact("Fowler River", "located in", "United States",
           "The Fowler River is a river located in central New Hampshire in the United States."), False),
    (_fact("United States", "rose as", "British Empire",
           "The United States and the Soviet Union rose as pre-eminent world powers and the British Empire declined."), False),
])
def test_a_hop_object_follows_its_predicate(fact: FactUnit, follows: bool) -> None:
    assert object_after_predicate(fact) is follows


def test_multi_hop_rejects_a_hop_whose_object_is_farther_on() -> None:
    kinds = EntityKinds({**_kinds().kinds, "k": "place"}, {**NAMES, "k": "Kessary"})

    def stands_with(sentence: str) -> bool:
        fact = FactUnit("f4", "m", "Ira Morrow", "was born in", "k", "Kessary", sentence, ["p4"])
        units = SubgraphUnits(facts={"f4": fact}, passages={"p4": Passage("p4", "d4", "Ira Morrow", sentence)})
        return hop_stands(fact, "m", "k", False, units, kinds)

    assert stands_with("Ira Morrow was born in Kessary.")
    assert not stands_with("Ira Morrow was born in a village near Kessary.")
