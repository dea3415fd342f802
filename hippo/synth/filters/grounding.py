"""Grounding: every answer is checked against its subgraph and source passages (GraphGen has
no such check). Offline: the numbers in the answer occur in the sources, every graph entity the
answer names occurs in the sources, and the answer names at least one entity of its subgraph.
With an LLM judge configured, the judge must also call the answer supported."""

from __future__ import annotations

import re

from hippo.llm.client import LLMClient, LLMError, LLMUnavailable
from hippo.synth.generation import prompts
from hippo.synth.generation.prompts import SYSTEM
from hippo.synth.units import SubgraphUnits
from hippo.text import normalize_phrase

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# step labels of a reasoning answer ("Step 2:", "1." opening a line) are not claims
_STEP_LABEL = re.compile(r"(?im)^\s*\d+[.)]\s|\bstep\s+\d+\b")
MAX_NAME_WORDS = 6


def numbers_in(text: str) -> set[str]:
    return {n.replace(",", "") for n in _NUMBER.findall(_STEP_LABEL.sub(" ", text))}


def _ngrams(words: list[str], longest: int) -> set[str]:
    return {" ".join(words[i : i + n]) for n in range(1, longest + 1) for i in range(len(words) - n + 1)}


class GroundingChecker:
    def __init__(self, entity_names: list[str], judge: LLMClient | None = None) -> None:
        # only names that look like names: one-letter or digit-only "entities" match everywhere
        self.known = {n for n in (normalize_phrase(x) for x in entity_names) if len(n) > 2 and not n.isdigit()}
        self.judge = judge

    def problem(self, question: str, answer: str, units: SubgraphUnits) -> str | None:
        context = units.context_text()
        ctx_norm = f" {normalize_phrase(context)} "
        if not numbers_in(answer) <= numbers_in(context):
            return "ungrounded_number"
        answer_words = normalize_phrase(answer).split()
        named = self.known & _ngrams(answer_words, MAX_NAME_WORDS)
        if any(f" {n} " not in ctx_norm for n in named):
            return "ungrounded_entity"
        own = {normalize_phrase(e.name) for e in units.entities.values()}
        own |= {normalize_phrase(f.subject) for f in units.facts.values()} | {normalize_phrase(f.object) for f in units.facts.values()}
        padded = f" {' '.join(answer_words)} "
        if not any(n and f" {n} " in padded for n in own):
            return "answer_off_subgraph"
        if self.judge is not None:
            return self._judge(context, question, answer)
        return None

    def _judge(self, context: str, question: str, answer: str) -> str | None:
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompts.judge(context, question, answer)}]
        try:
            verdict = self.judge.chat_json(messages, temperature=0.0, max_tokens=200) if self.judge else {}
        except LLMUnavailable:
            raise
        except LLMError:
            return "judge_failed"
        if not isinstance(verdict, dict) or not isinstance(verdict.get("grounded"), bool):
            return "judge_failed"
        return None if verdict["grounded"] else "judge_rejected"
