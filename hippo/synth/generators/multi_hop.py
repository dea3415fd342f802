"""Multi-hop mode: a question that needs two linked facts (a chain whose ends share no fact in
the graph). Offline by template, or the LLM phrases the question along the same chain — either
way the chain is recorded as the pair's path so the report can check the hop count."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generators import prompts
from hippo.synth.generators.base import GenerationFailed, WorkItem, register_recipe
from hippo.synth.generators.chains import Chain, find_chains
from hippo.synth.generators.llm_calls import ask_json, text_field
from hippo.synth.generators.template import multi_hop_pair
from hippo.synth.records import Candidate, Provenance

CHAINS_PER_SUBGRAPH = 2


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


def _names(item: WorkItem) -> dict[str, str]:
    names = {e.id: e.name for e in item.units.entities.values()}
    for f in item.units.facts.values():
        names.setdefault(f.subject_id, f.subject)
        names.setdefault(f.object_id, f.object)
    return names


class MultiHopRecipe:
    name = "multi_hop"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        names = _names(item)
        return [multi_hop_pair(ch, names, item.rng, item.entity_kinds()) for ch in _chains(item)]

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        names = _names(item)
        out: list[Candidate] = []
        for ch in _chains(item):
            reply = ask_json(client, prompts.multi_hop(item.units, ch, names))
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


register_recipe(MultiHopRecipe)
