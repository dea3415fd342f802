"""Atomic mode: one fact, one question. Offline by template, or one LLM call per subgraph that
writes a pair for each numbered fact."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generators import prompts
from hippo.synth.generators.base import WorkItem, register_recipe
from hippo.synth.generators.llm_calls import ask_json
from hippo.synth.generators.template import atomic_pair
from hippo.synth.records import Candidate, Provenance


class AtomicRecipe:
    name = "atomic"
    has_template = True

    def template(self, item: WorkItem) -> list[Candidate]:
        return [atomic_pair(f, item.rng, item.entity_kinds()) for f in item.units.facts.values()]

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        facts = list(item.units.facts.values())
        reply = ask_json(client, prompts.atomic(item.units))
        out: list[Candidate] = []
        for row in reply.get("pairs") or []:
            if not isinstance(row, dict):
                continue
            try:
                fact = facts[int(row.get("fact", 0)) - 1]
            except (TypeError, ValueError, IndexError):
                continue
            q, a = str(row.get("question") or "").strip(), str(row.get("answer") or "").strip()
            out.append(
                Candidate(q, a, self.name, model_label, Provenance(list(fact.passage_ids), [fact.id], [fact.subject_id, fact.object_id]))
            )
        return out


register_recipe(AtomicRecipe)
