"""The round-trip check of a pair with an answer key: its question, run against the memory,
retrieves one of the pair's cited passages in the top k, and the extractive graph reader (the
offline ``hippo ask``) reads the key back. A pair that fails is one a user could not get answered
from the memory the pair claims to come from."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hippo.answer.offline import GraphReader
from hippo.answer.retrieval import retrieve
from hippo.synth.records import Candidate
from hippo.text import normalize_phrase

if TYPE_CHECKING:
    from hippo.memory import Memory

_ARTICLES = ("the ", "a ", "an ")


def _bare(text: str) -> str:
    t = normalize_phrase(text)
    for a in _ARTICLES:
        if t.startswith(a):
            return t[len(a):]
    return t


def same_answer(read: str, key: str) -> bool:
    """The reader's answer is the key, articles aside, or names it whole ("the Skarn River")."""
    r, k = _bare(read), _bare(key)
    return bool(r and k) and (r == k or f" {k} " in f" {r} ")


class RoundTrip:
    def __init__(self, memory: Memory, top_k: int = 5, reader: GraphReader | None = None) -> None:
        self.memory = memory
        self.top_k = top_k
        self.reader = reader or GraphReader(memory.settings.spacy_model)

    def problem(self, cand: Candidate) -> str | None:
        """None when the pair survives the round trip (or has no key to check)."""
        key = str(cand.extra.get("answer_key") or "")
        if cand.kind != "qa" or not key:
            return None
        # a multiple-choice question is asked as its stem, which the reader must answer as an open one
        question = str(cand.extra.get("stem") or cand.question)
        retrieval = retrieve(self.memory, question, self.top_k)
        if not set(cand.provenance.passage_ids) & set(retrieval.passage_ids):
            return "roundtrip_not_retrieved"
        if cand.extra.get("verifiable") and not cand.extra.get("stem"):
            return None  # a blank or a claim: its key is checked against the passages and the graph
        answer = self.reader.read(question, retrieval, lambda q: retrieve(self.memory, q, self.top_k))
        if same_answer(answer.answer, key):
            return None
        return self._second_step(cand, answer.answer, key)

    def _second_step(self, cand: Candidate, read: str, key: str) -> str | None:
        """A two-hop question read in two steps, as a person would: when the reader answers the
        question's hidden bridge (``extra["bridge_key"]``), the bridge's own question
        (``extra["bridge_question"]``, the second hop with the bridge named) must retrieve a
        cited passage and read the key back."""
        bridge, then = str(cand.extra.get("bridge_key") or ""), str(cand.extra.get("bridge_question") or "")
        if not bridge or not then or not same_answer(read, bridge):
            return "roundtrip_wrong_answer"
        retrieval = retrieve(self.memory, then, self.top_k)
        if not set(cand.provenance.passage_ids) & set(retrieval.passage_ids):
            return "roundtrip_wrong_answer"
        answer = self.reader.read(then, retrieval, lambda q: retrieve(self.memory, q, self.top_k))
        if not same_answer(answer.answer, key):
            return "roundtrip_wrong_answer"
        cand.extra["round_trip"] = "two_step"
        return None
