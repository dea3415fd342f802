"""LongForm reverse instructions: for each passage, the instruction it is the answer to; the
record's output is the human-written text itself. Offline the instruction comes from templates
over the passage's main entity, the entities it mentions and its facts; the LLM path asks the
synthesiser which instruction the text answers."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generation.llm_calls import ask_json, text_field
from hippo.synth.generation.sentences import listing, mentions
from hippo.synth.recipes.base import GenerationFailed, WorkItem
from hippo.synth.recipes.passage_instructions import PassageInstructionRecipe
from hippo.synth.records import Candidate, Provenance
from hippo.synth.units import EntityUnit
from hippo.text import normalize_phrase

_TEMPLATES = (
    "Write a short encyclopedia-style paragraph about {main}.",
    "Write a short encyclopedia-style paragraph about {main} that mentions {others}.",
    "Give a brief overview of {main}, including how it relates to {others}.",
    "Describe {main} in a few sentences for a reader who has never heard of it.",
    "In a short paragraph, tell me what is known about {main} and {others}.",
)
MAX_OTHERS = 2


def _main_entity(item: WorkItem, text: str) -> EntityUnit | None:
    ents = [e for e in item.units.entities.values() if mentions(text, e.name)]
    if not ents:
        return None
    title = normalize_phrase(str(item.attrs.get("title") or ""))
    for e in ents:
        if title and normalize_phrase(e.name) == title:
            return e
    facts = list(item.units.facts.values())
    return max(ents, key=lambda e: (sum(e.id in (f.subject_id, f.object_id) for f in facts), -text.find(e.name), e.id))


class LongFormRecipe(PassageInstructionRecipe):
    name = "longform"
    has_template = True

    def _record(self, item: WorkItem, instruction: str, text: str, generator: str) -> Candidate:
        ents = [e.id for e in item.units.entities.values() if mentions(text, e.name)]
        prov = Provenance([p.id for p in item.passages], list(item.units.facts), ents)
        return Candidate(instruction, text, self.name, generator, prov, extra={"doc_id": item.attrs.get("doc_id", "")})

    def template(self, item: WorkItem) -> list[Candidate]:
        text = " ".join(p.text for p in item.passages).strip()
        main = _main_entity(item, text)
        if main is None:
            raise GenerationFailed("no_main_entity", "the passage names no entity of the graph")
        others = [e.name for e in item.units.entities.values() if e.id != main.id and mentions(text, e.name)]
        others = sorted(others, key=lambda n: text.find(n))[:MAX_OTHERS]
        choices = [t for t in _TEMPLATES if others or "{others}" not in t]
        instruction = item.rng.choice(choices).format(main=main.name, others=listing(others) if others else "")
        return [self._record(item, instruction, text, "template")]

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        text = " ".join(p.text for p in item.passages).strip()
        prompt = (
            f"Text written by a person:\n{text}\n\nWrite the instruction or question that a user could have given for "
            "this exact text to be the ideal answer. The instruction must name what it asks about and must not "
            'mention "the text". Reply as {"instruction": "..."}.'
        )
        return [self._record(item, text_field(ask_json(client, prompt), "instruction"), text, model_label)]

