"""Multi-hop mode: a question that needs two linked facts (a chain whose ends share no fact in
the graph). Offline by template, or the LLM phrases the question along the same chain — either
way the chain is recorded as the pair's path so the report can check the hop count."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generation.llm_calls import ask_json, text_field
from hippo.synth.generation.prompts import render_subgraph
from hippo.synth.recipes.base import GenerationFailed, Recipe, WorkItem
from hippo.synth.recipes.multi_hop.chains import Chain, find_chains
from hippo.synth.recipes.multi_hop.template import multi_hop_pair
from hippo.synth.records import Candidate, Provenance
from hippo.synth.units import SubgraphUnits

CHAINS_PER_SUBGRAPH = 2


def prompt(units: SubgraphUnits, chain: Chain, names: dict[str, str]) -> str:
    a, b, c = (names[e] for e in chain.path)
    return (
        f"{render_subgraph(units)}\n\nWrite a question that starts from {a}, needs the fact "
        f'"{chain.first.triple_text}" to reach {b}, and then the fact "{chain.second.triple_text}" '
        f"to reach the answer {c}. Do not name {b} in the question. The answer names {c} and "
        'explains both steps. Reply as {"question": "...", "answer": "..."}.'
    )


def _chains(item: WorkItem) -> list[Chain]:
    chains = find_chains(item.units, item.topology, item.subgraph.chain)
    if not chains:
        raise GenerationFailed("no_chain", "subgraph has no two-fact chain")
    picked: list[Chain] = []
    used: set[str] = set()
    for ch in chains:  # fact-disjoint chains, so two questions do not retell one path
        if ch.first.id in used or ch.second.id in used:
            continue
        used.update((ch.first.id, ch.second.id))
        picked.append(ch if item.rng.random() < 0.5 else Chain(ch.end, ch.bridge, ch.start, ch.second, ch.first))
        if len(picked) >= CHAINS_PER_SUBGRAPH:
            break
    return picked


class MultiHopRecipe(Recipe):
    name = "multi_hop"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        names = item.units.names()
        return [multi_hop_pair(ch, names, item.rng, item.entity_kinds()) for ch in _chains(item)]

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
                )
            )
        return out
