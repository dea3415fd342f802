"""The shape SELF-QA and LongForm share: work items are passages, and the report section is the
instruction statistics of what they wrote."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hippo.synth.planning import PlanContext, WorkPlan, plan_passages
from hippo.synth.recipes.base import Recipe, Records
from hippo.synth.report.sections import instructions, render_instructions
from hippo.synth.topology import Topology


class PassageInstructionRecipe(Recipe):
    def plan(self, ctx: PlanContext) -> WorkPlan:
        return plan_passages(ctx)

    def report(self, records: Records, plan: Mapping[str, Any], topo: Topology | None) -> dict[str, Any]:
        return instructions(records)

    def render_report(self, section: Mapping[str, Any]) -> list[str]:
        return render_instructions(self.name, section)
