"""LLM OpenIE, two steps per passage as HippoRAG does: named entities, then triples conditioned on
those entities. Any OpenAI-compatible endpoint through :class:`hippo.llm.client.LLMClient`, which brings
retries, JSON repair, the reply cache (a re-run pays nothing) and bounded concurrency.

A passage whose NER or triple step fails gets ``Extraction(error=...)`` and the run goes on; an
unreachable endpoint stops the run (every passage would fail the same way).
"""

from __future__ import annotations

import logging
from typing import Any

from hippo.index.extract.base import Progress, no_progress, parse_triples
from hippo.index.extract.prompts import ner_messages, passage_text, triples_messages
from hippo.llm.client import LLMClient, LLMError, LLMUnavailable
from hippo.text import normalize_phrase
from hippo.types import Extraction, Passage, Triple

log = logging.getLogger(__name__)


class StepError(Exception):
    """One step's reply was readable JSON but not the shape asked for."""


class LLMExtractor:
    name = "llm"

    def __init__(
        self,
        client: LLMClient,
        *,
        ner_max_tokens: int | None = 1024,
        triples_max_tokens: int | None = 4096,
    ) -> None:
        self.client = client
        self.ner_max_tokens = ner_max_tokens
        self.triples_max_tokens = triples_max_tokens

    def extract(self, passages: list[Passage], progress: Progress = no_progress) -> list[Extraction]:
        results = self.client.map(self._extract_one, passages, progress, stage="extract")
        out: list[Extraction] = []
        for passage, result in zip(passages, results, strict=True):
            if isinstance(result, LLMUnavailable):
                raise result  # finished passages are cached: the next run resumes for free
            if isinstance(result, Exception):
                out.append(Extraction(passage.id, error=_reason(result)))
            else:
                out.append(result)
        failed = sum(1 for x in out if x.error)
        if failed:
            log.warning("LLM OpenIE failed for %d of %d passages (kept as failed, retried next run)", failed, len(out))
        return out

    def _extract_one(self, passage: Passage) -> Extraction:
        full_text = passage_text(passage.title, passage.text)
        messages = ner_messages(passage.title, passage.text)
        try:
            entities = named_entities(self._ask(messages, self.ner_max_tokens), full_text, passage.id)
        except StepError as exc:
            self.client.forget(messages, max_tokens=self.ner_max_tokens, json_mode=True)
            return Extraction(passage.id, error=f"ner: {_reason(exc)}")
        except LLMUnavailable:
            raise
        except LLMError as exc:
            return Extraction(passage.id, error=f"ner: {_reason(exc)}")
        messages = triples_messages(passage.title, passage.text, entities)
        try:
            triples = valid_triples(self._ask(messages, self.triples_max_tokens), passage.id)
        except StepError as exc:
            self.client.forget(messages, max_tokens=self.triples_max_tokens, json_mode=True)
            return Extraction(passage.id, entities=entities, error=f"triples: {_reason(exc)}")
        except LLMUnavailable:
            raise
        except LLMError as exc:
            return Extraction(passage.id, entities=entities, error=f"triples: {_reason(exc)}")
        return Extraction(passage.id, entities=entities, triples=triples)

    def _ask(self, messages: list[dict[str, str]], max_tokens: int | None) -> Any:
        return self.client.chat_json(messages, max_tokens=max_tokens, json_mode=True)


def named_entities(reply: Any, passage: str, passage_id: str = "") -> list[str]:
    """The entities of a NER reply that really occur in the passage, deduplicated.

    Occurrence is tested on normalised text (NFKC, casefold, punctuation as spaces), so case,
    quotes and accents written differently do not count as invented.
    """
    items = _list_under(reply, "named_entities")
    haystack = f" {normalize_phrase(passage)} "
    kept: list[str] = []
    seen: set[str] = set()
    dropped: list[str] = []
    for item in items:
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)  # a year given as a number is still the year
        if not isinstance(item, str) or not item.strip():
            continue
        name = " ".join(item.split())
        key = normalize_phrase(name)
        if not key or key in seen:
            continue
        if key not in haystack:
            dropped.append(name)
            continue
        seen.add(key)
        kept.append(name)
    if dropped:
        log.warning("passage %s: dropped %d entities not in the text: %s", passage_id, len(dropped), dropped[:5])
    return kept


def valid_triples(reply: Any, passage_id: str = "") -> list[Triple]:
    """The well-formed triples of a reply: exactly three non-empty strings (numbers are read as
    text), deduplicated; the rest is dropped and counted."""
    triples, bad = parse_triples(_list_under(reply, "triples"))
    if bad:
        log.info("passage %s: dropped %d malformed triples", passage_id, bad)
    return triples


def _list_under(reply: Any, key: str) -> list[Any]:
    """The list a step asked for: ``{key: [...]}`` or, leniently, a bare list."""
    if isinstance(reply, list):
        return reply
    if isinstance(reply, dict):
        value = reply.get(key)
        if isinstance(value, list):
            return value
        if len(reply) == 1 and isinstance(next(iter(reply.values())), list):
            return list(next(iter(reply.values())))  # the right shape under a near-miss key
    raise StepError(f"reply has no {key!r} list: {str(reply)[:120]!r}")


def _reason(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"
