"""TreeSynth: generation at the leaves of a tree that splits the task space into mutually
exclusive attribute values taken from the graph (the subject's entity type, the relation kind,
the community; see :mod:`hippo.synth.recipes.treesynth.tree`). Every leaf gets the same quota of
questions, and the report shows leaf coverage and balance. Offline the questions are natural
questions over the leaf's facts; the LLM path writes them from the leaf's facts and its
attribute path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hippo.llm.client import LLMClient
from hippo.synth.generation.llm_calls import ask_json, numbered_fact_pairs
from hippo.synth.generation.prompts import render_subgraph
from hippo.synth.generation.provenance import of_fact
from hippo.synth.generation.template import atomic_pair
from hippo.synth.planning import PlanContext, WorkPlan
from hippo.synth.recipes.base import GenerationFailed, Recipe, Records, WorkItem
from hippo.synth.recipes.treesynth import report
from hippo.synth.recipes.treesynth.options import TreeSynthOptions
from hippo.synth.recipes.treesynth.planner import plan_tree
from hippo.synth.records import Candidate
from hippo.synth.topology import Topology


class TreeSynthRecipe(Recipe):
    name = "treesynth"
    has_template = True
    options_type = TreeSynthOptions

    def plan(self, ctx: PlanContext) -> WorkPlan:
        return plan_tree(ctx)

    def report(self, records: Records, plan: Mapping[str, Any], topo: Topology | None) -> dict[str, Any]:
        return report.section(records, plan)

    def render_report(self, section: Mapping[str, Any]) -> list[str]:
        return report.render(section)

    def _tag(self, cand: Candidate, item: WorkItem) -> Candidate:
        cand.mode = self.name
        cand.extra["leaf"] = item.attrs.get("leaf", "")
        return cand

    def template(self, item: WorkItem) -> list[Candidate]:
        quota = int(item.attrs.get("quota", 1))
        facts = [item.units.facts[f] for f in item.subgraph.fact_ids if f in item.units.facts]
        # over-generate a little: the filters may reject some, the quota caps what is kept
        return [self._tag(atomic_pair(f, item.rng, item.entity_kinds()), item) for f in facts[: quota * 2]]

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        quota = int(item.attrs.get("quota", 1))
        facts = list(item.units.facts.values())
        prompt = (
            f"{render_subgraph(item.units)}\n\nThese facts belong to one branch of a task tree: "
            f"{item.attrs.get('leaf', '')}. Write {quota} different questions, each answered by one numbered fact, "
            'with their answers. Reply as {"pairs": [{"fact": <number>, "question": "...", "answer": "..."}]}.'
        )
        out = [self._tag(Candidate(q, a, self.name, model_label, of_fact(fact)), item)
               for fact, q, a in numbered_fact_pairs(ask_json(client, prompt), facts)]
        if not out:
            raise GenerationFailed("llm_bad_json", "no usable pair for the leaf")
        return out

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        """The leaf's quota: balance across leaves is the point of the tree."""
        if int(item.attrs.get("_kept", 0)) >= int(item.attrs.get("quota", 1)):
            return "leaf_quota_reached"
        return None

    def accepted(self, cand: Candidate, item: WorkItem) -> None:
        item.attrs["_kept"] = int(item.attrs.get("_kept", 0)) + 1

