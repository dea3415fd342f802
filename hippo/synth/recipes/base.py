"""The one contract of a recipe (a `hippo synth --mode`) and what it sees: one work item, a
subgraph or a document with its units.

A recipe plans its work items (the shared subgraph partitioner unless it says otherwise), turns
each into candidate records — offline from templates when it can, or through the synthesiser
LLM — may add its own rule filters and report section, and declares its knobs as a
:class:`~hippo.synth.optionspec.RecipeOptions`. Budget, the shared filters, formats, provenance
and resume stay the pipeline's job.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeVar

from hippo.synth.kinds import EntityKinds
from hippo.synth.optionspec import RecipeOptions
from hippo.synth.partition.base import Subgraph
from hippo.synth.planning import PlanContext, WorkPlan, plan_subgraphs
from hippo.synth.records import Candidate
from hippo.synth.report.sections import Records
from hippo.synth.topology import Topology
from hippo.synth.units import SubgraphUnits
from hippo.types import Passage

if TYPE_CHECKING:
    from hippo.llm.client import LLMClient
    from hippo.synth.options import SynthOptions

K = TypeVar("K", bound=RecipeOptions)
__all__ = ["GenerationFailed", "Recipe", "Records", "WorkItem", "passage_text", "passage_titles"]


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
    options: SynthOptions | None = None  # the run's options

    def entity_kinds(self) -> EntityKinds:
        if self.kinds is None:
            self.kinds = EntityKinds.from_topology(self.topology)
        return self.kinds

    def knobs(self, cls: type[K]) -> K:
        """The recipe's own options for this run (their defaults when the item has no run)."""
        return self.options.knobs(cls) if self.options is not None else cls()

    @property
    def attrs(self) -> dict[str, Any]:
        return self.subgraph.attrs


def passage_text(item: WorkItem) -> str:
    """The item's passages, one a line: where a name is seen written mid-sentence."""
    return "\n".join(p.text for p in item.units.passages.values())


def passage_titles(item: WorkItem) -> tuple[str, ...]:
    """The item's passage titles: whole names a shorter entity name may be cut from."""
    return tuple(dict.fromkeys(p.title for p in item.units.passages.values() if p.title))


class GenerationFailed(Exception):
    """A recipe could not produce anything for a work item; ``reason`` is counted as a rejection."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


class Recipe(ABC):
    name: ClassVar[str]
    has_template: ClassVar[bool]  # True when ``template`` works: the recipe runs with no LLM at all
    output: ClassVar[Literal["qa", "text"]] = "qa"  # QA pairs, or corpus text records
    options_type: ClassVar[type[RecipeOptions]] = RecipeOptions  # its own knobs

    def plan(self, ctx: PlanContext) -> WorkPlan:
        """The work items: subgraphs of the run's partitioner unless the recipe takes others."""
        return plan_subgraphs(ctx)

    @abstractmethod
    def template(self, item: WorkItem) -> list[Candidate]:
        """Candidates written offline (raise GenerationFailed when the recipe has no template)."""

    @abstractmethod
    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        """Candidates written by the synthesiser."""

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        """The recipe's own rule filter, run before the shared ones: a rejection reason or None."""
        return None

    def accepted(self, cand: Candidate, item: WorkItem) -> None:
        """Told of each record written (for quotas)."""
        return None

    def report(self, records: Records, plan: Mapping[str, Any], topo: Topology | None) -> dict[str, Any] | None:
        """The recipe's section of the quality report over its own records (never empty), given
        the run's plan stats and, when available, the graph; None: no section."""
        return None

    def render_report(self, section: Mapping[str, Any]) -> list[str]:
        """The section as lines of the printed report."""
        return []
