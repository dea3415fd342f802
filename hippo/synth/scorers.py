"""Genie-style filters for any recipe's records: format, faithfulness and quality, each a
pluggable scorer giving a score in [0, 1] and a threshold from the settings
(``synth_<filter>_threshold``). A record below a threshold is rejected with the reason
``<filter>_below_threshold`` and counted like every other rejection; kept records carry their
scores in ``meta.scores``.

Offline scorers: format by rules, faithfulness by lexical and entity overlap with the source,
quality by a heuristic reward (length, repetition, lexical variety, question–answer relevance).
With a synthesiser configured the faithfulness and quality scorers default to an LLM judge
(entailment of the output by its source; a 1–10 rating). Register another scorer with
``register_scorer(filter, name, factory)`` and select it by name in the settings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hippo.errors import UserError
from hippo.llm.client import LLMClient, LLMError, LLMUnavailable
from hippo.synth.generation.prompts import SYSTEM
from hippo.synth.records import Candidate
from hippo.text import normalize_phrase

if TYPE_CHECKING:
    from hippo.config import Settings

FILTERS = ("format", "faithfulness", "quality")
_STOP = set(
    "a an the of in on at to for from by with and or but is are was were be been being it its this that these those "
    "as into about than then so such who whom whose which what when where why how do does did has have had not no "
    "he she they them his her their we our you your i me my also there here one".split()
)
_WORD = re.compile(r"[A-Za-z0-9]+")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:of|and|the)?\s*[A-Z][a-z]+)+")
_LEFTOVER = re.compile(r"\{[a-z_]+\}|<[a-z_]+>|\bTODO\b|^\s*[\[{]|\"(?:question|answer|text)\"\s*:", re.I)


class Scorer(Protocol):
    name: str

    def score(self, candidate: Candidate, source: str) -> float: ...


ScorerFactory = Callable[[LLMClient | None], Scorer]
SCORERS: dict[str, dict[str, ScorerFactory]] = {f: {} for f in FILTERS}


def register_scorer(filter_name: str, name: str, factory: ScorerFactory) -> None:
    SCORERS.setdefault(filter_name, {})[name] = factory


def content_words(text: str) -> list[str]:
    return [w for w in (m.lower() for m in _WORD.findall(text)) if w not in _STOP and len(w) > 1]


# --- format -------------------------------------------------------------------------------------
class FormatRules:
    """The share of format checks a record passes: non-empty parts, sane lengths, terminal
    punctuation, no JSON or template leftovers, an answer that is not the question."""

    name = "rules"

    def score(self, candidate: Candidate, source: str) -> float:
        q, a = candidate.question.strip(), candidate.answer.strip()
        checks = [bool(a), not _LEFTOVER.search(a), a[-1:] in ".!?\")'" if a else False]
        if candidate.kind == "qa":
            checks += [
                bool(q),
                len(q.split()) <= 80,
                q[-1:] in "?.:" if q else False,
                not _LEFTOVER.search(q),
                normalize_phrase(q) != normalize_phrase(a),
            ]
        else:
            checks.append(len(a.split()) >= 8)
        return sum(checks) / len(checks)


# --- faithfulness -------------------------------------------------------------------------------
class OverlapFaithfulness:
    """Lexical entailment proxy: the share of the output's content words found in the source,
    times the share of the multi-word names it uses that the source also has."""

    name = "overlap"

    def score(self, candidate: Candidate, source: str) -> float:
        out = candidate.answer
        words = content_words(out)
        if not words:
            return 0.0
        src_words = set(content_words(source))
        lexical = sum(w in src_words for w in words) / len(words)
        src_norm = f" {normalize_phrase(source)} "
        names = {normalize_phrase(n) for n in _NAME.findall(out)}
        names.discard("")
        named = (sum(f" {n} " in src_norm for n in names) / len(names)) if names else 1.0
        return lexical * named


class LLMFaithfulness:
    name = "llm"

    def __init__(self, client: LLMClient) -> None:
        self.client = client

    def score(self, candidate: Candidate, source: str) -> float:
        prompt = (
            f"Source:\n{source}\n\nOutput:\n{candidate.question}\n{candidate.answer}\n\nDoes the source entail every "
            "claim the output makes (natural language inference)? Reply as "
            '{"entailment": a probability between 0 and 1}.'
        )
        return _llm_number(self.client, prompt, "entailment", 1.0)


# --- quality ------------------------------------------------------------------------------------
class HeuristicQuality:
    """A reward-model stand-in: mean of length adequacy, non-repetition, lexical variety and
    (for QA) how much of the question the answer addresses."""

    name = "heuristic"

    def score(self, candidate: Candidate, source: str) -> float:
        words = [w.lower() for w in _WORD.findall(candidate.answer)]
        if not words:
            return 0.0
        n = len(words)
        length = 1.0 if 2 <= n <= 600 else (0.5 if n < 2 else max(0.0, 1 - (n - 600) / 600))
        trigrams = [tuple(words[i : i + 3]) for i in range(n - 2)]
        repeated = sum(c - 1 for c in Counter(trigrams).values() if c > 1)
        non_repetition = 1.0 - (repeated / len(trigrams) if trigrams else 0.0)
        variety = min(1.0, (len(set(words)) / n) / 0.5)
        parts = [length, non_repetition, variety]
        if candidate.kind == "qa" and candidate.question:
            asked = set(content_words(candidate.question))
            if asked:
                answered = set(content_words(candidate.answer)) | set(content_words(source))
                parts.append(len(asked & answered) / len(asked))
        return sum(parts) / len(parts)


class LLMQuality:
    name = "llm"

    def __init__(self, client: LLMClient) -> None:
        self.client = client

    def score(self, candidate: Candidate, source: str) -> float:
        prompt = (
            f"Training example:\n{candidate.question}\n{candidate.answer}\n\nRate how useful this example is for "
            "training an assistant (clear, correct, helpful, well written) from 1 (useless) to 10 (excellent). "
            'Reply as {"score": <1-10>}.'
        )
        return (_llm_number(self.client, prompt, "score", 10.0) - 1.0) / 9.0


def _llm_number(client: LLMClient, prompt: str, key: str, top: float) -> float:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]
    try:
        value = client.chat_json(messages, temperature=0.0, max_tokens=60)
    except LLMUnavailable:
        raise
    except LLMError:
        return 0.0  # an unreadable verdict must not let a record through
    raw = value.get(key) if isinstance(value, dict) else None
    if not isinstance(raw, (int, float)) or isinstance(raw, bool):
        return 0.0
    return min(top, max(0.0, float(raw))) if top == 1.0 else min(top, max(1.0, float(raw)))


def _need_client(kind: str) -> Callable[[LLMClient | None], Scorer]:
    def factory(client: LLMClient | None) -> Scorer:
        if client is None:
            raise UserError(f"the LLM {kind} scorer needs a synthesiser endpoint (--synth-base-url)")
        return LLMFaithfulness(client) if kind == "faithfulness" else LLMQuality(client)

    return factory


register_scorer("format", "rules", lambda client: FormatRules())
register_scorer("faithfulness", "overlap", lambda client: OverlapFaithfulness())
register_scorer("faithfulness", "llm", _need_client("faithfulness"))
register_scorer("quality", "heuristic", lambda client: HeuristicQuality())
register_scorer("quality", "llm", _need_client("quality"))
_OFFLINE_DEFAULT = {"format": "rules", "faithfulness": "overlap", "quality": "heuristic"}


@dataclass
class GenieFilter:
    stages: list[tuple[str, Scorer, float]]

    @classmethod
    def from_settings(cls, settings: Settings, filters: tuple[str, ...], client: LLMClient | None) -> GenieFilter:
        stages: list[tuple[str, Scorer, float]] = []
        for f in FILTERS:  # a fixed order: cheap rule checks before paid judges
            if f not in filters:
                continue
            choice = "rules" if f == "format" else str(getattr(settings, f"synth_{f}_scorer"))
            if choice == "auto":
                choice = "llm" if client is not None else _OFFLINE_DEFAULT[f]
            factory = SCORERS[f].get(choice)
            if factory is None:
                raise UserError(f"unknown {f} scorer {choice!r}; choose one of {', '.join(sorted(SCORERS[f]))}")
            stages.append((f, factory(client), float(getattr(settings, f"synth_{f}_threshold"))))
        return cls(stages)

    def problem(self, candidate: Candidate, source: str) -> str | None:
        """Scores the candidate (kept in ``candidate.scores``); the first filter it fails."""
        for name, scorer, threshold in self.stages:
            value = scorer.score(candidate, source)
            candidate.scores[name] = value
            if value < threshold:
                return f"{name}_below_threshold"
        return None

    def describe(self) -> dict[str, dict[str, object]]:
        return {name: {"scorer": scorer.name, "threshold": t} for name, scorer, t in self.stages}
