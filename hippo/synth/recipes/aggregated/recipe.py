"""Aggregated mode (GraphGen): rephrase the whole subgraph into one coherent answer, then ask
the question that answer answers. LLM only: a template cannot write a coherent paragraph."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generation.llm_calls import ask_json, text_field
from hippo.synth.generation.prompts import render_subgraph
from hippo.synth.generation.provenance import of_subgraph
from hippo.synth.recipes.base import GenerationFailed, Recipe, WorkItem
from hippo.synth.records import Candidate
from hippo.synth.units import SubgraphUnits


def rephrase_prompt(units: SubgraphUnits) -> str:
    return (
        f"{render_subgraph(units)}\n\nRewrite all of these entities and facts as one coherent, "
        'self-contained paragraph that keeps every name and number. Reply as {"text": "..."}.'
    )


def question_prompt(text: str) -> str:
    return (
        f"Text:\n{text}\n\nWrite the one question that this text is a complete answer to. The "
        'question must name the entities it asks about. Reply as {"question": "..."}.'
    )


class AggregatedRecipe(Recipe):
    name = "aggregated"
    has_template = False

    def template(self, item: WorkItem) -> list[Candidate]:
        raise GenerationFailed("no_template", "aggregated mode needs a synthesiser LLM")

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        text = text_field(ask_json(client, rephrase_prompt(item.units)), "text")
        question = text_field(ask_json(client, question_prompt(text), temperature=0.3), "question")
        return [Candidate(question, text, self.name, model_label, of_subgraph(item.units))]
