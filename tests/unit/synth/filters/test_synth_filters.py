"""Filters, formats and report metrics on hand-made inputs."""

from __future__ import annotations

import numpy as np
import pytest

from hippo.synth.filters.dedupe import Deduper
from hippo.synth.filters.grounding import GroundingChecker
from hippo.synth.filters.selfcontained import self_containedness_problem
from hippo.synth.formats import FORMATS, decode, encode
from hippo.synth.report.metrics import dispersion, distinct_n, mtld
from hippo.synth.units import EntityUnit, FactUnit, SubgraphUnits
from hippo.types import Passage


def test_self_containedness() -> None:
    assert self_containedness_problem("Who founded Brannock and Sons?", "Edda Brannock.") is None
    assert self_containedness_problem("According to the passage, who founded it?", "x") == "refers_to_source"
    assert self_containedness_problem("What does the text above say?", "x") == "refers_to_source"
    assert self_containedness_problem("Where was he born?", "Ostravel.") == "dangling_reference"
    assert self_containedness_problem("Which entity completes this?", "") == "empty"


def _units() -> SubgraphUnits:
    p = Passage("p1", "d", "t", "Edda Brannock founded Brannock and Sons in 1861.")
    f = FactUnit("f1", "e1", "Edda Brannock", "founded", "e2", "Brannock and Sons", p.text, ["p1"])
    return SubgraphUnits({"e1": EntityUnit("e1", "Edda Brannock", p.text, ["p1"])}, {"f1": f}, {"p1": p})


def test_grounding_checks_numbers_entities_and_subgraph() -> None:
    check = GroundingChecker(["Edda Brannock", "Brannock and Sons", "Maren Tolvik"])
    units = _units()
    assert check.problem("q", "Edda Brannock, in 1861.", units) is None
    assert check.problem("q", "Edda Brannock, in 1862.", units) == "ungrounded_number"
    assert check.problem("q", "Edda Brannock and Maren Tolvik.", units) == "ungrounded_entity"
    assert check.problem("q", "Somebody else.", units) == "answer_off_subgraph"


def test_dedupe_exact_without_embeddings() -> None:
    d = Deduper(None)
    assert d.problem("Who founded X?", "A") == (None, None)
    d.add("Who founded X?", None)
    assert d.problem("who  founded x", "B")[0] == "duplicate"


@pytest.mark.parametrize("fmt", FORMATS)
def test_formats_round_trip(fmt: str) -> None:
    assert decode(encode(fmt, "Q?", "A.")) == ("Q?", "A.")


def test_metrics() -> None:
    assert distinct_n(["a b a b"], 1) == pytest.approx(0.5)
    assert distinct_n(["a b a b"], 2) == pytest.approx(2 / 3)
    assert mtld(["a a a a a a a a"]) < mtld(["a b c d e f g h i j k l"])
    same = np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (3, 1))
    assert dispersion(same) == pytest.approx(0.0)
    assert dispersion(np.eye(3, dtype=np.float32)) == pytest.approx(1.0)
