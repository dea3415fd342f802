"""SELF-QA: questions generated from a passage that stand alone (no "this"/"these", no "based
on the above"), answers that keep the passage's key facts, then rule filters whose rejections
are counted by reason.

Offline, each sentence that states a fact gives one natural question about that fact (only
natural forms: no fill-in-the-blank) answered by the sentence itself; the LLM path asks the
synthesiser for pairs from the passage. Either way the same rules decide."""

from __future__ import annotations

import re

from hippo.llm.client import LLMClient
from hippo.synth.filters.grounding import numbers_in
from hippo.synth.generation.llm_calls import ask_json
from hippo.synth.generation.sentences import facts_stated_in, mentions, own_sentences
from hippo.synth.generation.template import natural_fact_question
from hippo.synth.recipes.base import GenerationFailed, WorkItem
from hippo.synth.recipes.passage_instructions import PassageInstructionRecipe
from hippo.synth.records import Candidate, Provenance
from hippo.text import normalize_phrase

_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those)\b", re.I)
_SOURCE_REFERENCE = re.compile(r"\b(?:based on|according to|from|in)\s+the\s+(?:above|passage|text|context|document)\b|\bthe above\b", re.I)
MIN_QUESTION_WORDS = 3
MIN_KEY_FACT_SHARE = 0.5


class SelfQARecipe(PassageInstructionRecipe):
    name = "selfqa"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        kinds = item.entity_kinds()
        out: list[Candidate] = []
        for sent in own_sentences(item):
            for fact in facts_stated_in(item, sent.text):
                ask_subject = item.rng.random() < 0.5
                q = natural_fact_question(fact, kinds, ask_subject) or natural_fact_question(fact, kinds, not ask_subject)
                if q is None:
                    continue
                prov = Provenance([sent.passage_id], [fact.id], [fact.subject_id, fact.object_id])
                out.append(Candidate(q, sent.text, self.name, "template", prov, extra={"source_sentence": sent.text}))
                break  # one question per sentence: variety over restating one sentence
        if not out:
            raise GenerationFailed("no_fact_sentence", "no sentence of the passage states a fact with a natural question")
        return out

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        passage = "\n".join(p.text for p in item.passages)
        prompt = (
            f"Passage:\n{passage}\n\nWrite up to 5 questions a reader could ask about the knowledge in this passage, "
            "each answerable from it. Each question must stand alone: name what it asks about, never use "
            '"this", "these", "the passage" or "based on the above". Give each a complete answer that keeps the '
            'key facts (names, numbers, dates). Reply as {"pairs": [{"question": "...", "answer": "..."}]}.'
        )
        reply = ask_json(client, prompt)
        pids = [p.id for p in item.passages]
        out: list[Candidate] = []
        for row in reply.get("pairs") or []:
            if not isinstance(row, dict):
                continue
            q, a = str(row.get("question") or "").strip(), str(row.get("answer") or "").strip()
            ents = [e.id for e in item.units.entities.values() if mentions(f"{q} {a}", e.name)]
            facts = [f.id for f in item.units.facts.values() if f.subject_id in ents and f.object_id in ents]
            out.append(Candidate(q, a, self.name, model_label, Provenance(pids, facts, ents), extra={"source_sentence": passage}))
        return out

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        """SELF-QA's rule filters; each failure is its own counted reason."""
        q, a = cand.question, cand.answer
        if _DEMONSTRATIVE.search(q):
            return "selfqa_demonstrative"
        if _SOURCE_REFERENCE.search(q) or _SOURCE_REFERENCE.search(a):
            return "selfqa_refers_to_source"
        if not q.rstrip().endswith("?"):
            return "selfqa_not_a_question"
        if len(q.split()) < MIN_QUESTION_WORDS:
            return "selfqa_too_short"
        if normalize_phrase(a) and normalize_phrase(a) in normalize_phrase(q):
            return "selfqa_answer_in_question"
        source = str(cand.extra.get("source_sentence") or "")
        present = [e.name for e in item.units.entities.values() if mentions(source, e.name)]
        kept = sum(mentions(a, n) for n in present)
        if present and kept / len(present) < MIN_KEY_FACT_SHARE:
            return "selfqa_missing_key_facts"
        if not numbers_in(source) <= numbers_in(a) and len(source) < 400:
            return "selfqa_missing_key_facts"
        return None

