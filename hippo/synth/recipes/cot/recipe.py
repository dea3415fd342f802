"""Chain-of-thought mode: the LLM first designs a question and a reasoning path over the
subgraph, then answers by walking that path; the answer keeps the reasoning."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generation.llm_calls import ask_json, text_field
from hippo.synth.generation.prompts import render_subgraph
from hippo.synth.generation.provenance import of_subgraph
from hippo.synth.recipes.base import GenerationFailed, Recipe, WorkItem
from hippo.synth.records import Candidate
from hippo.synth.units import SubgraphUnits


def design_prompt(units: SubgraphUnits) -> str:
    return (
        f"{render_subgraph(units)}\n\nDesign a question that needs several of these facts, and "
        "the reasoning path to answer it as a list of short steps, each using one fact. Reply "
        'as {"question": "...", "reasoning_path": ["...", "..."]}.'
    )


def answer_prompt(units: SubgraphUnits, question: str, steps: list[str]) -> str:
    plan = "\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1))
    return (
        f"{render_subgraph(units)}\n\nQuestion: {question}\nReasoning plan:\n{plan}\n\nAnswer "
        "the question by following the plan step by step: one short sentence per step, each "
        'stating the fact it uses. Reply as {"reasoning": ["step 1 ...", "step 2 ..."], "answer": "the final answer"}.'
    )


class CotRecipe(Recipe):
    name = "cot"
    has_template = False

    def template(self, item: WorkItem) -> list[Candidate]:
        raise GenerationFailed("no_template", "cot mode needs a synthesiser LLM")

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        design = ask_json(client, design_prompt(item.units))
        question = text_field(design, "question")
        steps = [str(s).strip() for s in design.get("reasoning_path") or [] if str(s).strip()]
        if not steps:
            raise GenerationFailed("llm_bad_json", "reply lacks a reasoning path")
        reply = ask_json(client, answer_prompt(item.units, question, steps), temperature=0.2)
        final = text_field(reply, "answer")
        worked = reply.get("reasoning")
        if isinstance(worked, str):
            worked = [line for line in worked.splitlines() if line.strip()]
        walked = [str(s).strip() for s in worked or [] if str(s).strip()] if isinstance(worked, list) else []
        # the answer's own worked steps when the model gave them, else the path it designed: a cot
        # record always carries its reasoning (a bare final answer is an atomic pair, not cot)
        reasoning = "\n".join(f"Step {i}: {s}" for i, s in enumerate(walked or steps, 1))
        if all(s.casefold().strip(" .") == final.casefold().strip(" .") for s in walked or steps):
            raise GenerationFailed("no_reasoning", "the reasoning only restates the answer")
        output = f"{reasoning}\nAnswer: {final}"
        return [Candidate(question, output, self.name, model_label, of_subgraph(item.units), reasoning=reasoning,
                          extra={"final_answer": final})]
