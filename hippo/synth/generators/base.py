"""What a recipe sees (one work item: a subgraph with its units) and the recipe registry.

A recipe is one `hippo synth --mode`: it turns a work item into candidate pairs, offline from
templates when it can, or through the synthesiser LLM. Later recipes (EntiGraph, SELF-QA, …)
register themselves here and reuse the pipeline's budget, filters, formats and provenance.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from hippo.synth.kinds import EntityKinds
from hippo.synth.partition.base import Subgraph
from hippo.synth.records import Candidate
from hippo.synth.topology import Topology
from hippo.synth.units import SubgraphUnits
from hippo.types import Passage

if TYPE_CHECKING:
    from hippo.llm.client import LLMClient


@dataclass
class WorkItem:
    """One unit of work. ``subgraph`` names it (its id is what resume tracks) and lists its
    entities and facts; for per-document and per-passage recipes ``passages`` is the item's own
    text, in order, and ``units`` are read from those passages only."""

    subgraph: Subgraph
    units: SubgraphUnits
    topology: Topology
    rng: random.Random = field(default_factory=random.Random)
    passages: list[Passage] = field(default_factory=list)
    kinds: EntityKinds | None = None
    options: Any = None  # the run's SynthOptions (recipes read their own knobs from it)

    def entity_kinds(self) -> EntityKinds:
        if self.kinds is None:
            self.kinds = EntityKinds.from_topology(self.topology)
        return self.kinds

    def option(self, name: str, default: Any) -> Any:
        return getattr(self.options, name, default) if self.options is not None else default

    @property
    def attrs(self) -> dict[str, Any]:
        return self.subgraph.attrs


class Recipe(Protocol):
    """Optional attributes a recipe may also define (read with getattr, defaults in brackets):
    ``work`` — which work items it takes: subgraph, document, passage, walk or tree
    (subgraph); ``output`` — qa or text records (qa); ``rules(candidate, item) -> reason | None``
    — recipe-specific rule filters whose rejections are counted by reason, run before the
    shared filters; ``accepted(candidate, item)`` — told of each record written (quotas)."""

    name: str
    # True when ``template`` works: the recipe can run with no LLM at all
    has_template: bool

    def template(self, item: WorkItem) -> list[Candidate]: ...

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]: ...


class GenerationFailed(Exception):
    """A recipe could not produce anything for a work item; ``reason`` is counted as a rejection."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


RECIPES: dict[str, Recipe] = {}


def register_recipe(factory: Callable[[], Recipe]) -> Callable[[], Recipe]:
    recipe = factory()
    RECIPES[recipe.name] = recipe
    return factory
