"""The synthesis run: order units by blind spots, partition, generate per subgraph, filter,
write. Python API::

    from hippo.synth.pipeline import Synthesizer, SynthOptions
    result = Synthesizer(memory, SynthOptions(mode="multi_hop", partitioner="path2")).run("out.jsonl")
"""

from __future__ import annotations

import dataclasses
import logging
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hippo.errors import UserError
from hippo.index.extract.base import Progress, no_progress
from hippo.llm.client import LLMClient, LLMUnavailable
from hippo.synth.blindspot.scorer import FALLBACK_KIND, LOSS_KIND, BlindSpotScorer, ScoringReport
from hippo.synth.budget import Budget
from hippo.synth.difficulty import difficulty_by_rank, subgraph_loss
from hippo.synth.filters.dedupe import Deduper, pair_key
from hippo.synth.filters.grounding import GroundingChecker
from hippo.synth.filters.roundtrip import RoundTrip
from hippo.synth.filters.selfcontained import self_containedness_problem
from hippo.synth.generation.llm_calls import model_label
from hippo.synth.kinds import EntityKinds
from hippo.synth.options import SCORE_LOOKAHEAD, SCORE_MIN_UNITS, SynthOptions
from hippo.synth.ordering import Ordering, choose_ordering
from hippo.synth.output import ResumableOutput
from hippo.synth.partition import Subgraph
from hippo.synth.partition.base import estimate_tokens
from hippo.synth.planning import PlanContext, WorkPlan
from hippo.synth.recipes.base import GenerationFailed, Recipe, WorkItem
from hippo.synth.recipes.registry import RECIPES
from hippo.synth.records import Accepted, Candidate
from hippo.synth.scorers import GenieFilter
from hippo.synth.topology import Topology
from hippo.synth.units import UnitReader

if TYPE_CHECKING:
    from hippo.memory import Memory

__all__ = ["SynthOptions", "SynthResult", "Synthesizer"]

log = logging.getLogger(__name__)
SCORE_READ_BATCH = 200


@dataclass
class SynthResult:
    path: Path
    written: int  # pairs accepted in this run
    total: int  # pairs in the file, earlier runs included
    subgraphs: int
    skipped_done: int  # subgraphs finished by an earlier run
    rejections: Counter[str]
    generator: str
    ordering: dict[str, Any]
    scoring: dict[str, Any] | None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "written": self.written,
            "total": self.total,
            "subgraphs": self.subgraphs,
            "skipped_done": self.skipped_done,
            "rejections": dict(self.rejections),
            "generator": self.generator,
            "ordering": self.ordering,
            "scoring": self.scoring,
            "warnings": self.warnings,
        }


def _client(memory: Memory, role: str) -> LLMClient | None:
    try:
        return LLMClient.from_settings(memory.settings, role=role)
    except LLMUnavailable:
        return None


class Synthesizer:
    """One synthesis run over a Memory's namespace. Clients default to the settings' synth and
    trainee endpoints; tests and callers may pass their own."""

    def __init__(
        self,
        memory: Memory,
        options: SynthOptions | None = None,
        *,
        synth_client: LLMClient | None = None,
        trainee_client: LLMClient | None = None,
    ) -> None:
        self.memory = memory
        self.options = options or SynthOptions()
        self.store = memory.store
        self.ns = memory.namespace
        self.recipe: Recipe = RECIPES[self.options.mode]
        self.synth = synth_client if synth_client is not None else _client(memory, "synth")
        self.trainee = trainee_client if trainee_client is not None else _client(memory, "trainee")
        self._round_trip: RoundTrip | None = None

    # --- decisions ---------------------------------------------------------------------------
    def generator_kind(self) -> str:
        """'template' or 'llm', from the option and what is configured."""
        opt, recipe = self.options.generator, self.recipe
        if opt == "template" and not recipe.has_template:
            raise UserError(f"mode {recipe.name} has no offline template generator; it needs a synthesiser LLM")
        if opt == "llm" or (opt == "auto" and (self.synth is not None or not recipe.has_template)):
            if self.synth is None:
                raise UserError(
                    f"mode {recipe.name} with the LLM generator needs a synthesiser: set --synth-base-url "
                    "and --synth-model (or HIPPO_SYNTH_BASE_URL / HIPPO_LLM_BASE_URL)"
                )
            return "llm"
        return "template"

    def _scoring_wanted(self) -> bool:
        if self.options.score is False:
            return False
        if self.trainee is None or self.synth is None:
            if self.options.score:
                raise UserError("blind-spot scoring needs a trainee and a synthesiser endpoint (--trainee-base-url, --synth-base-url)")
            return False
        if self.options.score is None:
            # on by default only when a trainee is named: a trainee that merely falls back to the
            # synthesiser's endpoint would be scored without anyone asking for it
            settings = self.memory.settings
            return bool(settings.trainee_base_url or settings.trainee_model)
        return True

    def scoring_plan(self, todo: Sequence[str]) -> list[str]:
        """The units to score this run: what the budget can use (a bounded look-ahead of candidate
        seeds per pair, or --score-units), drawn in a seeded order so reruns extend the same pool."""
        opts = self.options
        limit = opts.score_units if opts.score_units is not None else max(
            SCORE_MIN_UNITS, SCORE_LOOKAHEAD * opts.budget)
        if len(todo) <= limit:
            return list(todo)
        order = list(todo)
        random.Random(opts.seed).shuffle(order)
        return order[:limit]

    # --- stages ------------------------------------------------------------------------------
    def order_units(self, topo: Topology, progress: Progress) -> tuple[Ordering, ScoringReport | None]:
        stored = self.store.get_unit_scores(self.ns, LOSS_KIND)
        accuracy = self.store.get_unit_scores(self.ns, FALLBACK_KIND)
        report: ScoringReport | None = None
        if self._scoring_wanted():
            assert self.synth is not None and self.trainee is not None
            report = ScoringReport()
            known = set() if self.options.rescore else set(stored) | set(accuracy)
            report.reused = sum(1 for u in topo.unit_ids() if u in known)
            unscored = [u for u in topo.unit_ids() if u not in known]
            todo = self.scoring_plan(unscored)
            calls = len(todo) * (1 + 1 + self.options.n_paraphrases + self.options.n_negations)
            report.planned = len(todo)
            report.left_unscored = len(unscored) - len(todo)
            log.warning(
                "blind-spot scoring: %d of %d unscored units (--score-units), about %d LLM calls "
                "(1 synthesiser + %d trainee per unit)",
                len(todo), len(unscored), calls, 1 + self.options.n_paraphrases + self.options.n_negations,
            )
            scorer = BlindSpotScorer(
                self.synth,
                self.trainee,
                n_paraphrases=self.options.n_paraphrases,
                n_negations=self.options.n_negations,
                top_logprobs=self.options.top_logprobs,
            )
            fresh = scorer.score(self.store, self.ns, self._statements(topo, todo), report, progress)
            stored = {**stored, **fresh[LOSS_KIND]}
            accuracy = {**accuracy, **fresh[FALLBACK_KIND]}
        ordering = choose_ordering(topo, stored, accuracy, trainee_used=report is not None)
        if report is not None and report.without_logprobs:
            ordering.warnings.append(f"the trainee returned no logprobs for {report.without_logprobs} units")
        if report is not None and report.failed:
            ordering.warnings.append(f"blind-spot scoring failed for {report.failed} units")
        return ordering, report

    def _statements(self, topo: Topology, unit_ids: Sequence[str]) -> list[tuple[str, str]]:
        reader = UnitReader(self.store, self.ns)
        out: list[tuple[str, str]] = []
        for i in range(0, len(unit_ids), SCORE_READ_BATCH):
            chunk = unit_ids[i : i + SCORE_READ_BATCH]
            ents = [u for u in chunk if u not in topo.fact_ends]
            facts = [u for u in chunk if u in topo.fact_ends]
            units = reader.read(ents, facts)
            for u in chunk:
                unit = units.entities.get(u) or units.facts.get(u)
                if unit is not None and unit.statement.strip():
                    out.append((u, unit.statement))
        return out

    # --- the run -----------------------------------------------------------------------------
    def run(self, out_path: str | Path, progress: Progress = no_progress) -> SynthResult:
        opts = self.options
        kind = self.generator_kind()
        label = "template" if kind == "template" else model_label(self.synth)  # type: ignore[arg-type]
        topo = Topology.from_store(self.store, self.ns)
        if not topo.fact_ends:
            raise UserError(f"namespace {self.ns!r} has no facts to synthesise from; index a corpus first")
        ordering, scoring = self.order_units(topo, progress)
        kinds = EntityKinds.from_topology(topo)
        work_plan = self.recipe.plan(PlanContext(self.store, self.ns, topo, opts, ordering.priority, kinds))
        subgraphs = work_plan.items
        sg_losses = {sg.id: subgraph_loss(sg.unit_ids, ordering.losses) for sg in subgraphs}
        difficulty = difficulty_by_rank(sg_losses)
        run_key = {
            "namespace": self.ns,
            "mode": opts.mode,
            "partitioner": opts.partitioner,
            "format": opts.fmt,
            "meta": opts.meta,
            "seed": opts.seed,
            "generator": label,
            **self._recipe_key(),
        }
        out = ResumableOutput(out_path, fmt=opts.fmt, meta=opts.meta, run_key=run_key, overwrite=opts.overwrite)
        try:
            return self._generate(out, topo, kinds, work_plan, ordering, scoring, sg_losses, difficulty, kind, label, progress)
        finally:
            out.close()

    def _recipe_key(self) -> dict[str, Any]:
        """Options that change what a recipe writes, so a resumed run must share them. Only
        the run's own recipe's knobs are listed (older runs' state files stay resumable)."""
        opts = self.options
        key: dict[str, Any] = {}
        if opts.filters:
            key["filters"] = list(opts.filters)
        if opts.token_budget is not None:
            key["token_budget"] = opts.token_budget
        for name, value in dataclasses.asdict(opts.recipe).items():
            key[name] = list(value) if isinstance(value, tuple) else value
        return key

    def _generate(
        self,
        out: ResumableOutput,
        topo: Topology,
        kinds: EntityKinds,
        work_plan: WorkPlan,
        ordering: Ordering,
        scoring: ScoringReport | None,
        sg_losses: dict[str, float | None],
        difficulty: dict[str, str],
        kind: str,
        label: str,
        progress: Progress,
    ) -> SynthResult:
        opts = self.options
        subgraphs = work_plan.items
        judge_on = opts.judge if opts.judge is not None else kind == "llm"
        if judge_on and self.synth is None:
            raise UserError("the LLM grounding judge needs a synthesiser endpoint (--synth-base-url)")
        grounding = GroundingChecker(list(topo.entity_names.values()), self.synth if judge_on else None)
        dedupe = Deduper(self.memory.embedder if opts.embedding_dedupe else None, opts.near_duplicate)
        genie = GenieFilter.from_settings(self.memory.settings, opts.filters, self.synth)
        round_trip_on = opts.round_trip if opts.round_trip is not None else kind == "template"
        self._round_trip = RoundTrip(self.memory, opts.round_trip_k) if round_trip_on else None
        dedupe.seed((q or a, a) for q, a, _ in out.existing)
        earlier = {pair_key(q or a) for q, a, _ in out.existing}
        budget = Budget(
            opts.budget,
            spent=len(out.existing),
            token_limit=opts.token_budget,
            tokens_spent=sum(estimate_tokens(f"{q} {a}") for q, a, _ in out.existing),
        )
        reader = UnitReader(self.store, self.ns)
        out.extra = {
            "ordering": ordering.to_dict(),
            "scoring": scoring.to_dict() if scoring else None,
            "generator": label,
            "judge": judge_on,
            "budget": opts.budget,
            "token_budget": opts.token_budget,
            "plan": work_plan.stats,
            "filters": genie.describe(),
            "round_trip": {"top_k": opts.round_trip_k} if round_trip_on else None,
        }
        out.save_state()
        written = skipped = 0
        pending = [sg for sg in subgraphs if sg.id not in out.done]
        skipped = len(subgraphs) - len(pending)
        batch = 1 if kind == "template" or self.synth is None else max(1, self.synth.concurrency)
        done_count = skipped
        progress("synthesise", done_count, len(subgraphs))
        for start in range(0, len(pending), batch):
            if budget.exhausted():
                break
            group = pending[start : start + batch]
            items = [self._item(sg, reader, topo, kinds) for sg in group]
            results = self._run_recipe(items, kind, label)
            for item, res in zip(items, results, strict=True):
                rejections: Counter[str] = Counter()
                finished = True
                if isinstance(res, GenerationFailed):
                    rejections[res.reason] += 1
                    cands: list[Candidate] = []
                elif isinstance(res, Exception):
                    raise res
                else:
                    cands = res
                for cand in cands:
                    if budget.exhausted():
                        finished = False
                        break
                    if pair_key(cand.key_text) in earlier:
                        continue  # written by an earlier run of this subgraph, before a crash
                    reason = self._check(cand, item, dedupe, grounding, genie)
                    if reason:
                        rejections[reason] += 1
                        continue
                    sg_id = item.subgraph.id
                    out.append(Accepted(cand, difficulty[sg_id], sg_losses[sg_id], sg_id))
                    self.recipe.accepted(cand, item)
                    budget.take(estimate_tokens(f"{cand.question} {cand.answer}"))
                    written += 1
                if finished:
                    out.finish_item(item.subgraph.id, rejections)
                else:
                    out.rejections.update(rejections)
                    out.save_state()
                done_count += 1
                progress("synthesise", done_count, len(subgraphs))
        return SynthResult(
            path=out.path,
            written=written,
            total=budget.spent,
            subgraphs=len(subgraphs),
            skipped_done=skipped,
            rejections=Counter(out.rejections),
            generator=label,
            ordering=ordering.to_dict(),
            scoring=scoring.to_dict() if scoring else None,
            warnings=list(ordering.warnings),
        )

    def _item(self, sg: Subgraph, reader: UnitReader, topo: Topology, kinds: EntityKinds) -> WorkItem:
        own = self.store.get_passages(self.ns, sg.passage_ids) if sg.passage_ids else []
        units = reader.read(sg.entity_ids, sg.fact_ids, only_passages=sg.passage_ids if own else None)
        for p in own:  # the item's own text is part of what its records are grounded in
            units.passages.setdefault(p.id, p)
        rng = random.Random(f"{self.options.seed}:{sg.id}")
        return WorkItem(sg, units, topo, rng, passages=own, kinds=kinds, options=self.options)

    def _run_recipe(self, items: list[WorkItem], kind: str, label: str) -> list[list[Candidate] | Exception]:
        def one(item: WorkItem) -> list[Candidate]:
            if kind == "template":
                return self.recipe.template(item)
            assert self.synth is not None
            return self.recipe.llm(item, self.synth, label)

        if kind == "template" or self.synth is None:
            results: list[list[Candidate] | Exception] = []
            for item in items:
                try:
                    results.append(one(item))
                except GenerationFailed as exc:
                    results.append(exc)
            return results
        return self.synth.map(one, items)

    def _check(self, cand: Candidate, item: WorkItem, dedupe: Deduper, grounding: GroundingChecker, genie: GenieFilter) -> str | None:
        # the recipe's own rules first, so its reasons (SELF-QA's) are the ones counted
        reason = self.recipe.rules(cand, item)
        if reason:
            return reason
        if cand.kind == "qa":
            reason = self_containedness_problem(cand.question, cand.answer)
        else:  # corpus text has no question; an empty text is the one rule that applies
            reason = None if cand.answer.strip() else "empty"
        if reason:
            return reason
        reason = grounding.problem(cand.question, cand.answer, item.units)
        if reason:
            return reason
        reason = genie.problem(cand, item.units.context_text())
        if reason:
            return reason
        if self._round_trip is not None:
            reason = self._round_trip.problem(cand)
            if reason:
                return reason
        reason, vec = dedupe.problem(cand.key_text, cand.answer)
        if reason:
            return reason
        dedupe.add(cand.key_text, vec)
        return None
