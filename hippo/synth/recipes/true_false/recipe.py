"""True/false mode: the sentence that states a fact is a true claim; the same sentence with the
fact's asked end swapped for an entity of the same kind that no fact links to the other end is a
false one (offline negation). The key is "true" or "false"; the evidence, the source sentence,
is text of the cited passage."""

from __future__ import annotations

import re

from hippo.llm.client import LLMClient
from hippo.synth.filters.precision import whole_occurrence
from hippo.synth.generation.provenance import of_fact
from hippo.synth.generation.template import GENERATOR
from hippo.synth.generation.verifiable import key_problem, standing_end, unlinked_same_kind
from hippo.synth.recipes.base import Recipe, WorkItem, passage_text, passage_titles
from hippo.synth.records import Candidate

PROMPT = "True or false: "


def with_article(claim: str, name: str) -> str:
    """"a"/"an" before the swapped-in name as its first letter needs ("an Common Monetary Area")."""
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return re.sub(r"\b([Aa])n?(\s+)(?=" + re.escape(name) + ")",
                  lambda m: (article.capitalize() if m.group(1) == "A" else article) + m.group(2), claim, count=1)
CHOICES = ["true", "false"]


class TrueFalseRecipe(Recipe):
    name = "true_false"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        context, kinds = passage_text(item), item.entity_kinds()
        out: list[Candidate] = []
        for f in item.units.facts.values():
            found = standing_end(f, context, passage_titles(item))
            if found is None:
                continue
            fact, end_id, end = found
            anchor = fact.subject_id if end_id == fact.object_id else fact.object_id
            extra = {"verifiable": True, "evidence": fact.sentence, "choices": CHOICES}
            if item.rng.random() < 0.5:
                out.append(Candidate(PROMPT + fact.sentence, f"True. {fact.sentence}", self.name, GENERATOR, of_fact(f),
                                     extra={**extra, "answer_key": "true"}))
                continue
            at = whole_occurrence(fact.sentence, end)
            swap = unlinked_same_kind(item.topology, kinds, end_id, anchor, item.rng, 1, {fact.subject, fact.object}, f.id,
                                      context=context, close_only=True)
            if not swap or at is None:
                continue
            # the fact's own occurrence of the end, as a whole word ("Africa", not the start of "African")
            claim = with_article(fact.sentence[: at[0]] + swap[0] + fact.sentence[at[1]:], swap[0])
            out.append(Candidate(PROMPT + claim, f"False. {fact.sentence}", self.name, GENERATOR, of_fact(f),
                                 extra={**extra, "answer_key": "false", "swapped": {"from": end, "to": swap[0]}}))
        return out

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        return self.template(item)

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        return key_problem(cand, item.units)
