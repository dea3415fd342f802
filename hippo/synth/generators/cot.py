"""Chain-of-thought mode: the LLM first designs a question and a reasoning path over the
subgraph, then answers by walking that path; the answer keeps the reasoning."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generators import prompts
from hippo.synth.generators.base import GenerationFailed, WorkItem, register_recipe
from hippo.synth.generators.llm_calls import ask_json, text_field
from hippo.synth.generators.provenance import of_subgraph
from hippo.synth.records import Candidate


class CotRecipe:
    name = "cot"
    has_template = False

    def template(self, item: WorkItem) -> list[Candidate]:
        raise GenerationFailed("no_template", "cot mode needs a synthesiser LLM")

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        design = ask_json(client, prompts.cot_design(item.units))
        question = text_field(design, "question")
        steps = [str(s).strip() for s in design.get("reasoning_path") or [] if str(s).strip()]
        if not steps:
            raise GenerationFailed("llm_bad_json", "reply lacks a reasoning path")
        reply = ask_json(client, prompts.cot_answer(item.units, question, steps), temperature=0.2)
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


register_recipe(CotRecipe)
