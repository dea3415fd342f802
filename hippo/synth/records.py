"""What generators produce and what the writer stores: a candidate QA pair with its provenance."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Provenance:
    passage_ids: list[str] = field(default_factory=list)
    fact_ids: list[str] = field(default_factory=list)
    entity_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, list[str]]:
        return {
            "passage_ids": list(self.passage_ids),
            "fact_ids": list(self.fact_ids),
            "entity_ids": list(self.entity_ids),
        }


@dataclass
class Candidate:
    """A QA pair before filtering. ``path`` is the entity chain a multi-hop question walks
    (start … answer), so the report can check its hop count in the graph."""

    question: str
    answer: str
    mode: str
    generator: str  # "template" or "llm:<model>"
    provenance: Provenance
    path: list[str] | None = None
    reasoning: str | None = None  # chain-of-thought steps, also the opening of ``answer`` (cot)
    # "qa": question and answer; "text": a corpus record whose text is ``answer`` (question "")
    kind: str = "qa"
    scores: dict[str, float] = field(default_factory=dict)  # Genie filter scores, kept in meta
    extra: dict[str, Any] = field(default_factory=dict)  # recipe facts for meta (style, leaf, pair…)

    @property
    def key_text(self) -> str:
        """What deduplication compares: the question (a choice's stem), or the text of a corpus record."""
        if self.kind != "qa":
            return self.answer
        # a multiple-choice question is the same question whatever its options ("stem")
        return str(self.extra.get("stem") or self.question)


@dataclass
class Accepted:
    """A candidate that passed every filter, with the subgraph's difficulty and loss."""

    candidate: Candidate
    difficulty: str
    loss: float | None
    subgraph_id: str

    def meta(self) -> dict[str, Any]:
        c = self.candidate
        meta: dict[str, Any] = {
            "mode": c.mode,
            "difficulty": self.difficulty,
            "loss": None if self.loss is None else round(self.loss, 6),
            "generator": c.generator,
            "provenance": c.provenance.to_dict(),
            "subgraph": self.subgraph_id,
        }
        if c.path is not None:
            meta["path"] = list(c.path)
        if c.reasoning:
            meta["reasoning"] = c.reasoning
        if c.scores:
            meta["scores"] = {k: round(v, 4) for k, v in c.scores.items()}
        for key, value in c.extra.items():
            meta.setdefault(key, value)
        return meta
