"""What a recipe sees (one work item: a subgraph with its units) and the recipe registry.

A recipe is one `hippo synth --mode`: it turns a work item into candidate pairs, offline from
templates when it can, or through the synthesiser LLM. Later recipes (EntiGraph, SELF-QA, …)
register themselves here and reuse the pipeline's budget, filters, formats and provenance.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from hippo.synth.partition.base import Subgraph
from hippo.synth.records import Candidate
from hippo.synth.topology import Topology
from hippo.synth.units import SubgraphUnits

if TYPE_CHECKING:
    from hippo.llm import LLMClient


@dataclass
class WorkItem:
    subgraph: Subgraph
    units: SubgraphUnits
    topology: Topology
    rng: random.Random = field(default_factory=random.Random)


class Recipe(Protocol):
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
