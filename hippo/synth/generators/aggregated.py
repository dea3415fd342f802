"""Aggregated mode (GraphGen): rephrase the whole subgraph into one coherent answer, then ask
the question that answer answers. LLM only: a template cannot write a coherent paragraph."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generators import prompts
from hippo.synth.generators.base import GenerationFailed, WorkItem, register_recipe
from hippo.synth.generators.llm_calls import ask_json, text_field
from hippo.synth.generators.provenance import of_subgraph
from hippo.synth.records import Candidate


class AggregatedRecipe:
    name = "aggregated"
    has_template = False

    def template(self, item: WorkItem) -> list[Candidate]:
        raise GenerationFailed("no_template", "aggregated mode needs a synthesiser LLM")

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        text = text_field(ask_json(client, prompts.aggregated_rephrase(item.units)), "text")
        question = text_field(ask_json(client, prompts.aggregated_question(text), temperature=0.3), "question")
        return [Candidate(question, text, self.name, model_label, of_subgraph(item.units))]


register_recipe(AggregatedRecipe)
