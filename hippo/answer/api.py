"""``ask``: retrieve, then read — with the LLM reader when an endpoint is configured, else with
the extractive graph reader."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hippo.answer.multistep import read_in_steps
from hippo.answer.offline import GraphReader
from hippo.answer.reader import LLMReader, ReaderReply
from hippo.answer.result import LLM_READER, Answer, Step
from hippo.answer.retrieval import retrieve
from hippo.config import Settings
from hippo.errors import UserError
from hippo.retrieve.explanation import RetrievalExplanation
from hippo.text import normalize_phrase
from hippo.types import Hit

if TYPE_CHECKING:
    from hippo.llm.client import LLMClient
    from hippo.memory import Memory

Reader = GraphReader | LLMReader
READER_CHOICES = ("auto", "llm", "graph")


def llm_configured(settings: Settings) -> bool:
    base_url, _model, key = settings.endpoint("llm")
    return bool(base_url or key)


def make_reader(settings: Settings, reader: str = "auto", llm: LLMClient | None = None) -> Reader:
    """'graph' → the extractive graph reader; 'llm' → the LLM reader (an error when no endpoint is
    configured); 'auto' → the LLM reader when an endpoint is configured, else the graph reader."""
    if reader not in READER_CHOICES:
        raise UserError(f"unknown reader {reader!r}; choose one of {', '.join(READER_CHOICES)}")
    if reader == "llm" or (reader == "auto" and (llm is not None or llm_configured(settings))):
        if llm is None:
            from hippo.llm.client import LLMClient

            llm = LLMClient.from_settings(settings, role="llm")
        return LLMReader(llm)
    return GraphReader(settings.spacy_model)


def ask(
    memory: Memory,
    question: str,
    top_k: int = 5,
    *,
    reader: str | Reader = "auto",
    llm: LLMClient | None = None,
    multi_step: int = 1,
    mode: str | None = None,
) -> Answer:
    """Answer ``question`` from ``memory``. ``multi_step`` > 1 lets the LLM reader ask for up to
    that many retrieval rounds in all; the graph reader always takes at most two hops (the second
    through the bridge entity of the first)."""
    if multi_step < 1:
        raise UserError("multi_step must be at least 1")
    chosen = make_reader(memory.settings, reader, llm) if isinstance(reader, str) else reader
    if isinstance(chosen, GraphReader):
        mode = mode or chosen.retrieval_mode
        retrieval = retrieve(memory, question, top_k, mode)
        # the graph reader's own second hop goes through the bridge entity its first read found
        return chosen.read(question, retrieval, lambda query: retrieve(memory, query, top_k, mode))
    if multi_step > 1:
        reply, context, steps, explanations = read_in_steps(
            memory, question, chosen, rounds=multi_step, top_k=top_k, mode=mode
        )
        return llm_answer(question, reply, context, steps, explanations, chosen)
    retrieval = retrieve(memory, question, top_k, mode)
    reply = chosen.read(question, retrieval.hits)
    steps = [Step(question, retrieval.passage_ids, reply.answer, reply.citations, reply.need)]
    return llm_answer(question, reply, retrieval.hits, steps, [retrieval.explanation], chosen)


# a run of capitalised words ("Skarn River", "Maren Tolvik"); other scripts rely on the whole answer
_NAME = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'’-]*(?:\s+[A-ZÀ-ÖØ-Þ][\w'’-]*)*")


def mentions_answer(passage: str, answer: str) -> bool:
    """Does the passage state the answer: the whole answer, or one of its names (capitalised runs,
    numbers), appears in it after Unicode-aware normalisation. A model may cite a passage that never
    mentions what it answered; that citation supports nothing."""
    text = f" {normalize_phrase(passage)} "
    whole = normalize_phrase(answer)
    if whole and f" {whole} " in text:
        return True
    names = _NAME.findall(answer)
    names += re.findall(r"\d[\d,.]*", answer)
    return any(len(n) >= 2 and f" {n} " in text for n in (normalize_phrase(x) for x in names))


def llm_answer(
    question: str, reply: ReaderReply, context: list[Hit], steps: list[Step],
    explanations: list[RetrievalExplanation], reader: LLMReader,
) -> Answer:
    explanation: dict[str, Any] = {
        "reader_model": reader.client.model,
        "retrieval": explanations[0].to_dict() if len(explanations) == 1 else [e.to_dict() for e in explanations],
        "rejected_citations": reply.rejected,
    }
    if reply.rejected:
        explanation["warning"] = (
            f"the reader cited {len(reply.rejected)} passage(s) it was not shown; those citations were dropped"
        )
    if reply.answer and not reply.citations:
        explanation["unsupported"] = "the answer cites no passage of the context"
    elif reply.answer:
        texts = {h.passage_id: h.text for h in context}
        unsupported = [pid for pid in reply.citations if not mentions_answer(texts.get(pid, ""), reply.answer)]
        explanation["unsupported_citations"] = unsupported
        if len(unsupported) == len(reply.citations):
            explanation["unsupported"] = "no cited passage mentions the answer or its entities"
    if reply.refused:
        explanation["refusal"] = reply.reason or "the reader gave no answer"
    return Answer(question, reply.answer, reply.citations, context, explanation, LLM_READER,
                  steps=steps, refused=reply.refused)
