"""Provenance of a record built from one fact, or from a whole subgraph."""

from __future__ import annotations

from hippo.synth.records import Provenance
from hippo.synth.units import FactUnit, SubgraphUnits


def of_fact(fact: FactUnit) -> Provenance:
    return Provenance(list(fact.passage_ids), [fact.id], [fact.subject_id, fact.object_id])


def of_subgraph(units: SubgraphUnits) -> Provenance:
    passages = sorted({p for f in units.facts.values() for p in f.passage_ids} | {p for e in units.entities.values() for p in e.passage_ids})
    return Provenance(passages, list(units.facts), list(units.entities))
