"""Provenance of a pair built from a whole subgraph."""

from __future__ import annotations

from hippo.synth.records import Provenance
from hippo.synth.units import SubgraphUnits


def of_subgraph(units: SubgraphUnits) -> Provenance:
    passages = sorted({p for f in units.facts.values() for p in f.passage_ids} | {p for e in units.entities.values() for p in e.passage_ids})
    return Provenance(passages, list(units.facts), list(units.entities))
