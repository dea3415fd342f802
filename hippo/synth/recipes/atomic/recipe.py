"""Atomic mode: one fact, one question. Offline by template, or one LLM call per subgraph that
writes a pair for each numbered fact."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generation.llm_calls import ask_json, numbered_fact_pairs
from hippo.synth.generation.prompts import render_subgraph
from hippo.synth.generation.provenance import of_fact
from hippo.synth.generation.template import GENERATOR, atomic_pair, template_fact_problem
from hippo.synth.recipes.base import GenerationFailed, Recipe, WorkItem, passage_text, passage_titles
from hippo.synth.records import Candidate
from hippo.synth.units import SubgraphUnits


def prompt(units: SubgraphUnits) -> str:
    return (
        f"{render_subgraph(units)}\n\nFor each numbered fact write one question that the fact "
        'answers and its answer. Reply as {"pairs": [{"fact": <number>, "question": "...", '
        '"answer": "..."}]}.'
    )


class AtomicRecipe(Recipe):
    name = "atomic"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        context = passage_text(item)
        titles = passage_titles(item)
        return [atomic_pair(f, item.rng, item.entity_kinds(), context, titles) for f in item.units.facts.values()]

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        # an offline pair is emitted only when it can be stood behind (filters/precision.py)
        if cand.generator != GENERATOR:
            return None
        return template_fact_problem(cand, item.units.facts, passage_text(item), passage_titles(item))

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        reply = ask_json(client, prompt(item.units))
        facts = list(item.units.facts.values())
        pairs = numbered_fact_pairs(reply, facts)
        if not pairs:  # an empty or unusable "pairs" list is a failed reply, counted as one
            raise GenerationFailed("llm_bad_json", "no usable pair in the reply")
        return [Candidate(q, a, self.name, model_label, of_fact(fact)) for fact, q, a in pairs]
