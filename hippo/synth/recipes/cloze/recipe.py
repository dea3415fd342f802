"""Cloze mode: a named entity, date or number masked in the sentence that states a fact, its
answer key the masked text exactly. Over a two-fact chain (start –f1– bridge –f2– answer), the
second fact's sentence with its bridge replaced by a description through the first fact and its
answer masked: a blank that takes both hops to fill. Masking needs no LLM: with one configured
the same records are written (the pipeline's judge still checks them)."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.filters.precision import hollow, question_problem
from hippo.synth.generation import phrasing
from hippo.synth.generation.provenance import of_fact
from hippo.synth.generation.template import GENERATOR, describe_through
from hippo.synth.generation.verifiable import key_problem, mask, standing_end
from hippo.synth.recipes.base import Recipe, WorkItem, passage_text, passage_titles
from hippo.synth.recipes.multi_hop.chains import find_chains
from hippo.synth.recipes.multi_hop.recipe import _chain_of, _facts_problem, hop_problem, written
from hippo.synth.records import Candidate, Provenance

PROMPT = "Fill in the blank: "


class ClozeRecipe(Recipe):
    name = "cloze"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        context = passage_text(item)
        out: list[Candidate] = []
        for f in item.units.facts.values():
            found = standing_end(f, context, passage_titles(item))
            masked = mask(found[0].sentence, found[2]) if found else None
            if found is None or masked is None:
                continue
            out.append(Candidate(PROMPT + masked, found[2], self.name, GENERATOR, of_fact(f),
                                 extra={"answer_key": found[2], "verifiable": True, "hops": 1}))
        out.extend(self._chain_cloze(item, context))
        return out

    def _chain_cloze(self, item: WorkItem, context: str) -> list[Candidate]:
        names, kinds = item.units.names(), item.entity_kinds()
        out: list[Candidate] = []
        used: set[str] = set()
        for ch in find_chains(item.units, item.topology, item.subgraph.chain):
            if ch.first.id in used or ch.second.id in used or _facts_problem(ch, names, context, passage_titles(item)) is not None:
                continue
            chain, spelled = written(ch, names)
            described = describe_through(chain.first, chain.start, spelled[chain.start], kinds)
            sentence = chain.second.sentence
            bridge = spelled[chain.bridge]
            at = sentence.find(bridge)
            if described is None or at < 0 or hollow(described):
                continue
            words = sentence[:at].split(" ")
            if words[-2:-1] and words[-2].lower() in ("the", "a", "an"):  # "The Hollen Prize": the article goes
                words = words[:-2] + [""]
            head = " ".join(words)
            masked = mask(phrasing.cap(head + described + sentence[at + len(bridge):]), spelled[chain.end])
            if masked is None:
                continue
            used.update((ch.first.id, ch.second.id))
            passages = list(dict.fromkeys([*chain.first.passage_ids, *chain.second.passage_ids]))
            out.append(Candidate(PROMPT + masked, spelled[chain.end], self.name, GENERATOR,
                                 Provenance(passages, [chain.first.id, chain.second.id], chain.path), path=chain.path,
                                 extra={"answer_key": spelled[chain.end], "verifiable": True}))
            if len(out) >= 2:
                break
        return out

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        return self.template(item)

    def rules(self, cand: Candidate, item: WorkItem) -> str | None:
        reason = key_problem(cand, item.units) or question_problem(cand.question, cand.answer, template=False)
        if reason or cand.path is None:
            return reason
        chain = _chain_of(cand, item)
        if chain is None:
            return "no_chain"
        chain, names = written(chain, item.units.names())
        reason = hop_problem(cand, chain, names, {p.id: p.text for p in item.units.passages.values()}, blank=True)
        if reason is None:
            cand.extra["hops"] = 2
        return reason
