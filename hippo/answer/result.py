"""What answering a question returns: the answer, the passages it cites, the retrieval behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hippo.types import Hit

LLM_READER = "llm"
GRAPH_READER = "graph-extractive"


@dataclass
class Step:
    """One round of retrieve-then-read (multi-step mode keeps every round)."""

    query: str
    passage_ids: list[str]
    answer: str
    citations: list[str]
    need: str = ""  # what the reader said it still needed (empty: it answered or gave up)

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "passage_ids": self.passage_ids,
            "answer": self.answer,
            "citations": self.citations,
            "need": self.need,
        }


@dataclass
class Answer:
    """``answer`` is "" when the reader found none (``refused`` says whether it declined)."""

    question: str
    answer: str
    citations: list[str]
    hits: list[Hit]
    explanation: dict[str, Any]
    reader: str
    steps: list[Step] = field(default_factory=list)
    evidence: list[dict[str, str]] = field(default_factory=list)  # {"passage_id", "sentence"}
    refused: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.answer,
            "citations": self.citations,
            "reader": self.reader,
            "refused": self.refused,
            "evidence": self.evidence,
            "hits": [h.to_dict() for h in self.hits],
            "explanation": self.explanation,
            "steps": [s.to_dict() for s in self.steps],
        }
