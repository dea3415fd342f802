"""Cloze mode: a named entity, date or number masked in the sentence that states a fact, its
answer key the masked text exactly. A blank that is one item of a list the sentence gives has
several fillings and is not written (``precision.listed``). Two-hop blanks (the second fact's
sentence with its bridge replaced by a description through the first) are not written offline:
an audit found every one false or garbled ("____ is a beachfront city …, the place where
Monterey County is located"). Masking needs no LLM: with one configured the same records are
written (the pipeline's judge still checks them)."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.filters.precision import listed, question_problem
from hippo.synth.generation.provenance import of_fact
from hippo.synth.generation.template import GENERATOR
from hippo.synth.generation.verifiable import key_problem, mask, standing_end
from hippo.synth.recipes.base import Recipe, WorkItem, passage_text, passage_titles
from hippo.synth.records import Candidate

PROMPT = "Fill in the blank: "


class ClozeRecipe(Recipe):
    name = "cloze"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        context = passage_text(item)
        out: list[Candidate] = []
        for f in item.units.facts.values():
            found = standing_end(f, context, passage_titles(item))
            if found is None or listed(found[0].sentence, found[2]):
                continue
            masked = mask(found[0].sentence, found[2])
            if masked is None:
                continue
            out.append(Candidate(PROMPT + masked, found[2], self.name, GENERATOR, of_fact(f),
                                 extra={"answer_key": found[2], "verifiable": True, "hops": 1}))
        return out

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        return self.template(item)

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        return key_problem(cand, item.units) or question_problem(cand.question, cand.answer, template=False)
