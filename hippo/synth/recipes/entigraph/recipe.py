"""EntiGraph: per document, its entities from the graph; for sampled pairs and triples of them,
text explaining how they relate, from the document's own passages. The records are a
continued-pretraining corpus (``{"text", "provenance"}``), sized by ``--token-budget``; the
report counts the entity pairs covered against all pairs the documents hold.

Offline, the text is the document's sentences that mention the entities together, opened by a
line naming them; the LLM path asks the synthesiser to discuss the relation using only the
document."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from hippo.llm.client import LLMClient
from hippo.synth.generation.llm_calls import ask_json, text_field
from hippo.synth.generation.sentences import Sentence, listing, mentions, own_sentences
from hippo.synth.planning import PlanContext, WorkPlan
from hippo.synth.recipes.base import GenerationFailed, Recipe, Records, WorkItem
from hippo.synth.recipes.entigraph import report
from hippo.synth.recipes.entigraph.options import EntiGraphOptions
from hippo.synth.recipes.entigraph.planner import plan_documents
from hippo.synth.records import Candidate, Provenance
from hippo.synth.topology import Topology

MAX_SENTENCES = 6
MAX_ENTITIES = 40  # pairs are sampled among a document's best-connected entities


def _together(sentences: list[Sentence], names: list[str], at_least: int) -> list[Sentence]:
    return [s for s in sentences if sum(mentions(s.text, n) for n in names) >= at_least]


def _groups(item: WorkItem) -> list[tuple[str, ...]]:
    """Sampled pairs and triples of entity ids, those that share a sentence first (offline text
    can only relate entities the document relates)."""
    ents = sorted(item.units.entities.values(), key=lambda e: (-item.topology.degree(e.id), e.id))[:MAX_ENTITIES]
    sentences = own_sentences(item)
    linked = {e.id: {i for i, s in enumerate(sentences) if mentions(s.text, e.name)} for e in ents}
    knobs = item.knobs(EntiGraphOptions)
    n_pairs, n_triples = knobs.entigraph_pairs, knobs.entigraph_triples
    pairs = [p for p in itertools.combinations([e.id for e in ents], 2)]
    item.rng.shuffle(pairs)
    pairs.sort(key=lambda p: 0 if linked[p[0]] & linked[p[1]] else 1)
    def joined(t: tuple[str, ...]) -> int:  # how many of the triple's pairs share a sentence
        return sum(bool(linked[x] & linked[y]) for x, y in itertools.combinations(t, 2))

    triples = list(itertools.combinations([e.id for e in ents], 3))
    item.rng.shuffle(triples)
    triples.sort(key=lambda t: 0 if joined(t) >= 2 else 1)
    return [*pairs[:n_pairs], *triples[:n_triples]]


class EntiGraphRecipe(Recipe):
    name = "entigraph"
    has_template = True
    output = "text"
    options_type = EntiGraphOptions

    def plan(self, ctx: PlanContext) -> WorkPlan:
        return plan_documents(ctx)

    def report(self, records: Records, plan: Mapping[str, Any], topo: Topology | None) -> dict[str, Any]:
        return report.section(records, plan)

    def render_report(self, section: Mapping[str, Any]) -> list[str]:
        return report.render(section)

    def _record(self, item: WorkItem, ids: tuple[str, ...], text: str, generator: str, used: list[Sentence]) -> Candidate:
        facts = [f.id for f in item.units.facts.values() if f.subject_id in ids and f.object_id in ids]
        passages = sorted({s.passage_id for s in used}) or [p.id for p in item.passages]
        names = [item.units.entities[i].name for i in ids]
        extra = {"entities": list(ids), "entity_names": names, "relation": "pair" if len(ids) == 2 else "triple",
                 "doc_id": item.attrs.get("doc_id", "")}
        return Candidate("", text, self.name, generator, Provenance(passages, facts, list(ids)), kind="text", extra=extra)

    def template(self, item: WorkItem) -> list[Candidate]:
        sentences = own_sentences(item)
        out: list[Candidate] = []
        for ids in _groups(item):
            names = [item.units.entities[i].name for i in ids]
            # a pair needs a sentence naming both; a triple, sentences naming two of them at once
            used = _together(sentences, names, 2)[:MAX_SENTENCES]
            if not used or (len(ids) == 3 and not all(any(mentions(s.text, n) for s in used) for n in names)):
                continue
            opener = f"{listing(names)}: how they are related."
            out.append(self._record(item, ids, " ".join([opener, *(s.text for s in used)]), "template", used))
        if not out:
            raise GenerationFailed("no_related_entities", "no two entities of the document share a sentence")
        return out

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        document = "\n\n".join(p.text for p in item.passages)
        out: list[Candidate] = []
        for ids in _groups(item):
            names = [item.units.entities[i].name for i in ids]
            prompt = (
                f"Document:\n{document}\n\nEntities: {listing(names)}.\n\nUsing only facts from the document, write a "
                "self-contained paragraph that explains how these entities are related to each other, naming each "
                'of them. Do not refer to "the document". Reply as {"text": "..."}.'
            )
            try:
                text = text_field(ask_json(client, prompt), "text")
            except GenerationFailed:
                continue  # one failed pair must not cost the document's other pairs
            out.append(self._record(item, ids, text, model_label, []))
        if not out:
            raise GenerationFailed("llm_bad_json", "no usable text for any entity pair")
        return out

