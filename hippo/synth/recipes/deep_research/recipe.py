"""Deep-research questions: a long walk in the graph (``walk_hops`` facts, no shortcut between
its ends) turned into one question that names only the start; every intermediate entity is
described by the fact that leads to it, never named — "Who founded the firm that built the
lighthouse of the town where Maren Tolvik was born?" — so answering takes one lookup per hop.
The walk is the record's path (provenance), and its length is checked in the graph."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hippo.llm.client import LLMClient
from hippo.synth.generation import phrasing
from hippo.synth.generation.llm_calls import ask_json, text_field
from hippo.synth.generation.prompts import render_subgraph
from hippo.synth.generation.sentences import mentions
from hippo.synth.generation.template import ask_through, describe_through
from hippo.synth.planning import PlanContext, WorkPlan
from hippo.synth.recipes.base import GenerationFailed, Recipe, Records, WorkItem
from hippo.synth.recipes.deep_research import report
from hippo.synth.recipes.deep_research.options import DeepResearchOptions
from hippo.synth.recipes.deep_research.planner import plan_walks
from hippo.synth.records import Candidate, Provenance
from hippo.synth.topology import Topology
from hippo.synth.units import FactUnit


def _walk(item: WorkItem) -> tuple[list[str], list[FactUnit], dict[str, str]]:
    path = list(item.subgraph.chain or item.subgraph.entity_ids)
    facts = [item.units.facts.get(f) for f in item.subgraph.fact_ids]
    if any(f is None for f in facts) or len(facts) != len(path) - 1:
        raise GenerationFailed("walk_incomplete", "a fact of the walk could not be read")
    return path, [f for f in facts if f is not None], item.units.names()


def _evidence(facts: list[FactUnit]) -> list[str]:
    return list(dict.fromkeys(f.statement for f in facts))


class DeepResearchRecipe(Recipe):
    name = "deep_research"
    has_template = True
    options_type = DeepResearchOptions

    def plan(self, ctx: PlanContext) -> WorkPlan:
        return plan_walks(ctx)

    def report(self, records: Records, plan: Mapping[str, Any], topo: Topology | None) -> dict[str, Any]:
        return report.section(records, topo)

    def render_report(self, section: Mapping[str, Any]) -> list[str]:
        return report.render(section)

    def _candidate(self, item: WorkItem, question: str, answer: str, generator: str) -> Candidate:
        path, facts, _ = _walk(item)
        passages = list(dict.fromkeys(p for f in facts for p in f.passage_ids))
        prov = Provenance(passages, [f.id for f in facts], list(path))
        return Candidate(question, answer, self.name, generator, prov, path=list(path), extra={"hops": len(facts)})

    def template(self, item: WorkItem) -> list[Candidate]:
        path, facts, names = _walk(item)
        kinds = item.entity_kinds()
        described = names[path[0]]
        for i, fact in enumerate(facts[:-1]):
            nxt = describe_through(fact, path[i], described, kinds)
            if nxt is None:
                raise GenerationFailed("undescribable_step", f"no description through {fact.triple_text!r}")
            described = nxt
        asked = ask_through(facts[-1], path[-2], described, kinds)
        if asked is None:
            raise GenerationFailed("undescribable_step", f"no question through {facts[-1].triple_text!r}")
        answer = f"{names[path[-1]]}. " + " ".join(_evidence(facts))
        return [self._candidate(item, phrasing.question(asked), answer, "template")]

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        path, facts, names = _walk(item)
        chain = "\n".join(f"{i}. {f.triple_text}" for i, f in enumerate(facts, 1))
        hidden = ", ".join(names[e] for e in path[1:-1])
        prompt = (
            f"{render_subgraph(item.units)}\n\nChain of facts:\n{chain}\n\nWrite one question that starts "
            f"from {names[path[0]]} and whose answer is {names[path[-1]]}, following every fact of the chain in "
            f"order. Describe each intermediate entity ({hidden}) by its facts and never name it, so answering "
            "needs one lookup per fact. Give the answer with the reasoning through each fact. Reply as "
            '{"question": "...", "answer": "..."}.'
        )
        reply = ask_json(client, prompt)
        return [self._candidate(item, text_field(reply, "question"), text_field(reply, "answer"), model_label)]

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        """The path length, checked in the graph: the walk has the asked number of facts and
        its ends are exactly that far apart (no shortcut); no intermediate entity is named."""
        path = cand.path or []
        hops = len(path) - 1
        if hops != item.knobs(DeepResearchOptions).walk_hops:
            return "path_wrong_length"
        if item.topology.shortest_hops(path[0], path[-1], limit=hops) != hops:
            return "path_shortcut"
        names = {e.id: e.name for e in item.units.entities.values()}
        if any(e in names and mentions(cand.question, names[e]) for e in path[1:-1]):
            return "names_intermediate"
        return None

