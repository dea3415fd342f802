"""Small builders shared by the synthesis rule tests."""

from __future__ import annotations

from hippo.synth.filters.precision import as_written
from hippo.synth.units import FactUnit


def written_fact(s: str, p: str, o: str, sentence: str) -> FactUnit:
    """A fact of passage p1 with its predicate read as the sentence writes it."""
    return as_written(FactUnit("f1", f"e:{s}", s, p, f"e:{o}", o, sentence, ["p1"]))
