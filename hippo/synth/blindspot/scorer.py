"""Blind-spot scoring of units: loss = mean over ALL of a unit's statements (original,
paraphrases, negations) of −log p(correct label). Losses are stored on the units
(``set_unit_scores(ns, "loss", …)``) and reused by later runs. A trainee that returns no
logprobs is reported, and its losses come from answer accuracy under another score kind."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from hippo.index.extract.base import Progress
from hippo.llm.client import LLMClient, LLMUnavailable
from hippo.store.base import GraphStore
from hippo.synth.blindspot.statements import write_statements
from hippo.synth.blindspot.trainee import accuracy_loss, ask_trainee, statement_loss

log = logging.getLogger(__name__)

LOSS_KIND = "loss"
FALLBACK_KIND = "loss_accuracy"  # losses from text answers when the trainee gave no logprobs


@dataclass
class UnitLoss:
    unit_id: str
    loss: float
    statements: int
    from_logprobs: bool
    off_format: int
    complete: bool = True  # the synthesiser gave both paraphrases and negations
    retried: bool = False  # it took a second synthesiser call to get them (or to give up)
    logprobs_shapes: tuple[str, ...] = ()


@dataclass
class ScoringReport:
    scored: int = 0
    reused: int = 0
    planned: int = 0  # units this run set out to score (the budget's look-ahead)
    left_unscored: int = 0  # units beyond it, left for a later run
    failed: int = 0
    statements_judged: int = 0
    without_logprobs: int = 0  # units whose trainee replies had no logprobs
    off_format: int = 0  # statements answered with neither yes nor no among the top tokens
    # units whose synthesiser reply lacked paraphrases or negations even after one retry: their
    # loss rests on fewer kinds of statement and is marked unreliable in the unit scores' report
    incomplete_statements: int = 0
    retried_statements: int = 0
    unreliable_units: list[str] = field(default_factory=list)
    logprobs_shapes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "scored": self.scored,
            "reused": self.reused,
            "planned": self.planned,
            "left_unscored": self.left_unscored,
            "failed": self.failed,
            "statements_judged": self.statements_judged,
            "units_without_logprobs": self.without_logprobs,
            "off_format_answers": self.off_format,
            "incomplete_statements": self.incomplete_statements,
            "retried_statements": self.retried_statements,
            "unreliable_units": self.unreliable_units[:20],
            "logprobs_shapes": dict(self.logprobs_shapes),
            "errors": self.errors[:5],
        }


class BlindSpotScorer:
    def __init__(
        self,
        synth: LLMClient,
        trainee: LLMClient,
        *,
        n_paraphrases: int = 2,
        n_negations: int = 2,
        top_logprobs: int = 10,
    ) -> None:
        self.synth = synth
        self.trainee = trainee
        self.n_paraphrases = n_paraphrases
        self.n_negations = n_negations
        self.top_logprobs = top_logprobs

    def score_unit(self, unit_id: str, statement: str) -> UnitLoss:
        written = write_statements(self.synth, statement, self.n_paraphrases, self.n_negations)
        labelled = written.labelled()
        losses: list[float] = []
        fallback: list[float] = []
        shapes: list[str] = []
        off = 0
        for text, label in labelled:
            verdict = ask_trainee(self.trainee, text, self.top_logprobs)
            off += verdict.off_format
            if verdict.logprobs_shape:
                shapes.append(verdict.logprobs_shape)
            loss = statement_loss(verdict, label)
            if loss is not None:
                losses.append(loss)
            fallback.append(accuracy_loss(verdict, label))
        from_logprobs = len(losses) == len(labelled)
        # some or all replies lacked logprobs: one scale per unit, never a mix of the two
        values = losses if from_logprobs else fallback
        return UnitLoss(unit_id, sum(values) / len(values), len(labelled), from_logprobs, off,
                        complete=written.complete, retried=written.attempts > 1, logprobs_shapes=tuple(shapes))

    def score(
        self,
        store: GraphStore,
        ns: str,
        statements: Sequence[tuple[str, str]],
        report: ScoringReport,
        progress: Progress | None = None,
    ) -> dict[str, dict[str, float]]:
        """Scores (unit id, statement) pairs and stores the losses; returns {kind: {unit: loss}}.
        Units sharing a statement text (an entity described by a fact's sentence) are scored once."""
        by_text: dict[str, list[str]] = {}
        for unit_id, text in statements:
            by_text.setdefault(text, []).append(unit_id)
        texts = list(by_text)
        results = self.synth.map(lambda t: self.score_unit(by_text[t][0], t), texts, progress, "blind spots")
        out: dict[str, dict[str, float]] = {LOSS_KIND: {}, FALLBACK_KIND: {}}
        for text, res in zip(texts, results, strict=True):
            units = by_text[text]
            if isinstance(res, LLMUnavailable):
                raise res
            if isinstance(res, Exception):
                report.failed += len(units)
                report.errors.append(f"{units[0]}: {res}")
                continue
            report.scored += len(units)
            report.statements_judged += res.statements * len(units)
            report.off_format += res.off_format
            report.logprobs_shapes.update(res.logprobs_shapes)
            report.retried_statements += res.retried
            if not res.complete:
                report.incomplete_statements += 1
                report.unreliable_units.extend(units)
            if not res.from_logprobs:
                report.without_logprobs += len(units)
            for unit_id in units:
                out[LOSS_KIND if res.from_logprobs else FALLBACK_KIND][unit_id] = res.loss
        for kind, scores in out.items():
            if scores:
                store.set_unit_scores(ns, kind, scores)
        if report.incomplete_statements:
            log.warning(
                "blind spots: the synthesiser gave no paraphrases or no negations for %d statement(s) even "
                "after a retry; their units' losses are unreliable (listed in the report)",
                report.incomplete_statements,
            )
        return out
