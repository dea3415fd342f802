"""MCQ mode: the offline one-fact question (the atomic template, under its precision rules) with
its answer and up to three distractors — entities of the answer's kind that no fact of the graph
links to the entity the question names, so no distractor is another true answer. The answer key
is the correct option, copied from the source sentence. With an LLM the same records are written:
distractors must come from the graph to be checkable."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generation.template import atomic_pair, template_fact_problem
from hippo.synth.generation.verifiable import key_problem, unlinked_same_kind
from hippo.synth.recipes.base import Recipe, WorkItem, passage_text, passage_titles
from hippo.synth.records import Candidate

DISTRACTORS = 3
LETTERS = "ABCD"


class McqRecipe(Recipe):
    name = "mcq"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        context, titles, kinds, topo = passage_text(item), passage_titles(item), item.entity_kinds(), item.topology
        out: list[Candidate] = []
        for f in item.units.facts.values():
            cand = atomic_pair(f, item.rng, kinds, context, titles)
            if template_fact_problem(cand, item.units.facts, context, titles) is not None:
                continue
            key = str(cand.extra["answer_key"])
            target, anchor = (f.object_id, f.subject_id) if key.lower() == f.object.lower() else (f.subject_id, f.object_id)
            wrong = unlinked_same_kind(topo, kinds, target, anchor, item.rng, DISTRACTORS, {key, f.subject, f.object}, f.id,
                                       context=context)
            if len(wrong) < 2:
                continue  # too few same-kind entities to make a choice of it
            choices = sorted([key, *wrong])
            item.rng.shuffle(choices)
            stem = cand.question  # the reader round trip and deduplication take the question without its options
            lines = [f"{LETTERS[i]}. {c}" for i, c in enumerate(choices)]
            cand.question = cand.question + "\n" + "\n".join(lines)
            cand.answer = f"{LETTERS[choices.index(key)]}. {key}"
            cand.mode = self.name
            cand.extra.update({"choices": choices, "verifiable": True, "distractor_ids_checked": True, "stem": stem})
            out.append(cand)
        return out

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        return self.template(item)

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        return key_problem(cand, item.units)
