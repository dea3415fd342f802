"""Multi-hop mode: a question that needs two linked facts (a chain whose ends share no fact in
the graph). Offline by template, or the LLM phrases the question along the same chain — either
way the chain is recorded as the pair's path so the report can check the hop count."""

from __future__ import annotations

from hippo.kinds import name_kind
from hippo.llm.client import LLMClient
from hippo.synth.filters.precision import (
    as_written,
    fact_problem,
    object_after_predicate,
    question_problem,
    question_shape_problem,
    written_as,
)
from hippo.synth.generation.llm_calls import ask_json, text_field
from hippo.synth.generation.prompts import render_subgraph
from hippo.synth.generation.sentences import mentions
from hippo.synth.generation.template import GENERATOR, ask_through, describe_through
from hippo.synth.kinds import EntityKinds
from hippo.synth.planning import PlanContext, WorkPlan, plan_subgraphs
from hippo.synth.recipes.base import GenerationFailed, Recipe, WorkItem, passage_text, passage_titles
from hippo.synth.recipes.multi_hop.chains import Chain, find_chains
from hippo.synth.recipes.multi_hop.planner import vetted_chains
from hippo.synth.recipes.multi_hop.template import multi_hop_pair, natural_chain_question
from hippo.synth.records import Candidate, Provenance
from hippo.synth.units import FactUnit, SubgraphUnits

CHAINS_PER_SUBGRAPH = 2


def prompt(units: SubgraphUnits, chain: Chain, names: dict[str, str]) -> str:
    a, b, c = (names[e] for e in chain.path)
    return (
        f"{render_subgraph(units)}\n\nWrite a question that starts from {a}, needs the fact "
        f'"{chain.first.triple_text}" to reach {b}, and then the fact "{chain.second.triple_text}" '
        f"to reach the answer {c}. Do not name {b} in the question. The answer names {c} and "
        'explains both steps. Reply as {"question": "...", "answer": "..."}.'
    )


def _chains(item: WorkItem, offline: bool = False) -> list[Chain]:
    chains = find_chains(item.units, item.topology, item.subgraph.chain)
    if not chains:
        raise GenerationFailed("no_chain", "subgraph has no two-fact chain")
    # a chain read either way: each direction asks a different question
    chains = [c for ch in chains for c in (ch, Chain(ch.end, ch.bridge, ch.start, ch.second, ch.first))]
    item.rng.shuffle(chains)
    if offline:  # chains whose facts the template can stand behind first
        kinds = item.entity_kinds()
        chains.sort(key=lambda ch: 0 if stands(ch, item.units, kinds) else 1)
    picked: list[Chain] = []
    used: set[str] = set()
    for ch in chains:  # fact-disjoint chains, so two questions do not retell one path
        if ch.first.id in used or ch.second.id in used:
            continue
        used.update((ch.first.id, ch.second.id))
        picked.append(ch)
        if len(picked) >= CHAINS_PER_SUBGRAPH:
            break
    return picked


def _reading(units: SubgraphUnits) -> tuple[dict[str, str], str, tuple[str, ...]]:
    """What the rules read of a subgraph: entity names, the passages' text, their titles."""
    passages = units.passages.values()
    return units.names(), "\n".join(p.text for p in passages), tuple(dict.fromkeys(p.title for p in passages if p.title))


def stands(chain: Chain, units: SubgraphUnits, kinds: EntityKinds) -> bool:
    """Can the template stand behind this chain: both facts pass the atomic rules in their roles
    (``_facts_problem``, ``_hops_problem``) and the question has a natural form."""
    names, context, titles = _reading(units)
    spelled, spelled_names = written(chain, names)
    return (_facts_problem(chain, names, context, titles) is None and _hops_problem(chain, names) is None
            and natural_chain_question(spelled, spelled_names, kinds) is not None)


def hop_stands(fact: FactUnit, known: str, target: str, first: bool, units: SubgraphUnits, kinds: EntityKinds) -> bool:
    """One fact in one role of a chain: the first hop (``known`` the start, ``target`` the
    bridge it describes) or the second (``known`` the bridge, ``target`` the answer it asks),
    checked with the rules ``stands`` applies to that hop."""
    names, context, titles = _reading(units)
    w = as_written(fact)
    target_text, known_text = written_as(names[target], w.sentence), written_as(names[known], w.sentence)
    if (fact_problem(fact, names[target], names[known], context, titles) or question_shape_problem(w, target_text)
            or _object_problem(w)):
        return False
    if first:
        return describe_through(w, known, known_text, kinds) is not None
    return name_kind(names[target]) != "number" and ask_through(w, known, "it", kinds) is not None


def _chain_of(cand: Candidate, item: WorkItem) -> Chain | None:
    facts = [item.units.facts.get(f) for f in cand.provenance.fact_ids]
    if cand.path is None or len(cand.path) != 3 or len(facts) != 2 or facts[0] is None or facts[1] is None:
        return None
    start, bridge, end = cand.path
    return Chain(start, bridge, end, facts[0], facts[1])


def written(chain: Chain, names: dict[str, str]) -> tuple[Chain, dict[str, str]]:
    """The chain with its facts and entity names spelled as the source sentences spell them."""
    first, second = as_written(chain.first), as_written(chain.second)
    spelled = dict(names)
    spelled[chain.start] = written_as(names[chain.start], first.sentence)
    spelled[chain.bridge] = written_as(names[chain.bridge], first.sentence)
    spelled[chain.end] = written_as(names[chain.end], second.sentence)
    return Chain(chain.start, chain.bridge, chain.end, first, second), spelled


def _facts_problem(chain: Chain, names: dict[str, str], context: str, titles: tuple[str, ...] = ()) -> str | None:
    return (fact_problem(chain.first, names[chain.bridge], names[chain.start], context, titles)
            or fact_problem(chain.second, names[chain.end], names[chain.bridge], context, titles))


def _hops_problem(chain: Chain, names: dict[str, str]) -> str | None:
    """Each hop of an offline question must be one an atomic question could ask: the first fact
    picks out its bridge alone ("the author of Glass Houses", not "the river in the United
    States"), the second its answer (see ``question_shape_problem``)."""
    first, second = as_written(chain.first), as_written(chain.second)
    if name_kind(names[chain.end]) == "number":
        return "ambiguous_question"  # "How many medals did the place where … win?": a count needs its occasion
    return (question_shape_problem(first, written_as(names[chain.bridge], first.sentence))
            or question_shape_problem(second, written_as(names[chain.end], second.sentence))
            or _object_problem(first) or _object_problem(second))


def _object_problem(fact: FactUnit) -> str | None:
    """A hop's object follows its predicate in the sentence: a description or a question built on
    a farther name says what the sentence does not ("the county seat of the United States")."""
    return None if object_after_predicate(fact) else "object_not_after_predicate"


def hop_problem(cand: Candidate, chain: Chain, names: dict[str, str], passages: dict[str, str],
                blank: bool = False) -> str | None:
    """A multi-hop question must need both hops: it does not name its bridge, and no one cited
    passage states both the start and the answer (or supports both facts)."""
    start, bridge, end = (names.get(e, "") for e in chain.path)
    # a cloze's "Fill in the blank" is its format, not a template's fallback (``blank``)
    reason = question_problem(cand.question, end, (bridge,), template=cand.generator == GENERATOR and not blank)
    if reason:
        return reason
    if set(chain.first.passage_ids) & set(chain.second.passage_ids):
        return "single_passage"
    for pid in cand.provenance.passage_ids:
        text = passages.get(pid, "")
        if mentions(text, start) and mentions(text, end):
            return "single_passage"
    return None


class MultiHopRecipe(Recipe):
    name = "multi_hop"
    has_template = True

    def plan(self, ctx: PlanContext) -> WorkPlan:
        """The partitioner's subgraphs, after every chain of the graph the template can stand
        behind (``vetted_chains``: a partitioner pairs those few facts with others); an
        explicitly LLM run takes the partitioner's alone."""
        base = plan_subgraphs(ctx)
        if ctx.options.generator == "llm":
            return base  # the LLM phrases any chain; the vetting is the template's
        kinds = ctx.kinds
        vetted = vetted_chains(ctx, lambda f, known, target, first, units: hop_stands(f, known, target, first, units, kinds),
                               lambda ch, units: stands(ch, units, kinds))
        ids = {sg.id for sg in vetted}
        items = [*vetted, *(sg for sg in base.items if sg.id not in ids)]
        return WorkPlan(items, {**base.stats, "items": len(items), "vetted_chains": len(vetted)})

    def template(self, item: WorkItem) -> list[Candidate]:
        names = item.units.names()
        return [multi_hop_pair(*written(ch, names), item.rng, item.entity_kinds()) for ch in _chains(item, offline=True)]

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        chain = _chain_of(cand, item)
        if chain is None:
            return "no_chain"
        chain, names = written(chain, item.units.names())
        if cand.generator == GENERATOR:
            reason = _facts_problem(chain, names, passage_text(item), passage_titles(item)) or _hops_problem(chain, names)
            if reason:
                return reason
        reason = hop_problem(cand, chain, names, {p.id: p.text for p in item.units.passages.values()})
        if reason is None:
            cand.extra["hops"] = 2  # checked against the question, not only the graph path
        return reason

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        names = item.units.names()
        out: list[Candidate] = []
        for ch in _chains(item):
            reply = ask_json(client, prompt(item.units, ch, names))
            passages = list(dict.fromkeys([*ch.first.passage_ids, *ch.second.passage_ids]))
            out.append(
                Candidate(
                    text_field(reply, "question"),
                    text_field(reply, "answer"),
                    self.name,
                    model_label,
                    Provenance(passages, [ch.first.id, ch.second.id], ch.path),
                    path=ch.path,
                    extra={"answer_key": names[ch.end]},
                )
            )
        return out
