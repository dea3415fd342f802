"""WRAP rephrasing: segments of at most ``wrap_segment_tokens`` (300) tokens rephrased as easy,
Wikipedia-like, hard and Q&A styles, written as corpus text. With ``wrap_interleave`` each
segment gets one style (rotating, so every style is used across the corpus) and its original
text beside it: real and synthetic text 1:1, as WRAP mixes them.

Offline only the Q&A style exists: each sentence that states a fact becomes a natural question
answered by the sentence. The other styles need the synthesiser LLM."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from hippo.llm.client import LLMClient
from hippo.synth.generation.llm_calls import ask_json, text_field
from hippo.synth.generation.sentences import Sentence, facts_stated_in, mentions, own_sentences
from hippo.synth.generation.template import natural_fact_question
from hippo.synth.partition.base import estimate_tokens
from hippo.synth.planning import PlanContext, WorkPlan, plan_passages
from hippo.synth.recipes.base import GenerationFailed, Recipe, Records, WorkItem
from hippo.synth.recipes.wrap import report
from hippo.synth.recipes.wrap.options import OFFLINE_STYLES, STYLES, WrapOptions
from hippo.synth.records import Candidate, Provenance
from hippo.synth.topology import Topology


def segments(sentences: list[Sentence], max_tokens: int) -> list[list[Sentence]]:
    """Consecutive sentences packed into segments of at most ``max_tokens`` (a longer single
    sentence is a segment of its own)."""
    out: list[list[Sentence]] = []
    current: list[Sentence] = []
    size = 0
    for s in sentences:
        cost = estimate_tokens(s.text)
        if current and size + cost > max_tokens:
            out.append(current)
            current, size = [], 0
        current.append(s)
        size += cost
    if current:
        out.append(current)
    return out


class WrapRecipe(Recipe):
    name = "wrap"
    has_template = True
    output = "text"
    options_type = WrapOptions

    def plan(self, ctx: PlanContext) -> WorkPlan:
        return plan_passages(ctx)

    def report(self, records: Records, plan: Mapping[str, Any], topo: Topology | None) -> dict[str, Any]:
        return report.section(records)

    def render_report(self, section: Mapping[str, Any]) -> list[str]:
        return report.render(section)

    def _styles(self, item: WorkItem, index: int, offline: bool) -> list[str]:
        wanted = [s for s in item.knobs(WrapOptions).wrap_styles if s in STYLES]
        if offline:
            wanted = [s for s in wanted if s in OFFLINE_STYLES]
        if not wanted:
            raise GenerationFailed("no_offline_style", "offline WRAP writes only the qa style")
        if item.knobs(WrapOptions).wrap_interleave:
            return [wanted[(index + item.rng.randrange(len(wanted))) % len(wanted)]]
        return wanted

    def _record(self, item: WorkItem, seg: list[Sentence], text: str, style: str, generator: str, index: int) -> Candidate:
        seg_text = " ".join(s.text for s in seg)
        ents = [e.id for e in item.units.entities.values() if mentions(seg_text, e.name)]
        facts = [f.id for s in seg for f in facts_stated_in(item, s.text)]
        prov = Provenance(sorted({s.passage_id for s in seg}), facts, ents)
        extra = {"style": style, "segment": index, "segment_tokens": estimate_tokens(seg_text)}
        return Candidate("", text, self.name, generator, prov, kind="text", extra=extra)

    def _segments(self, item: WorkItem) -> list[list[Sentence]]:
        return segments(own_sentences(item), item.knobs(WrapOptions).wrap_segment_tokens)

    def _with_original(self, item: WorkItem, seg: list[Sentence], index: int, out: list[Candidate]) -> None:
        if item.knobs(WrapOptions).wrap_interleave:
            out.append(self._record(item, seg, " ".join(s.text for s in seg), "original", "original", index))

    def template(self, item: WorkItem) -> list[Candidate]:
        kinds = item.entity_kinds()
        out: list[Candidate] = []
        for index, seg in enumerate(self._segments(item)):
            self._styles(item, index, offline=True)
            lines = []
            for s in seg:
                for fact in facts_stated_in(item, s.text):
                    q = natural_fact_question(fact, kinds, True) or natural_fact_question(fact, kinds, False)
                    if q is not None:
                        lines.append(f"Question: {q}\nAnswer: {s.text}")
                        break
            if lines:
                out.append(self._record(item, seg, "\n\n".join(lines), "qa", "template", index))
                self._with_original(item, seg, index, out)
        if not out:
            raise GenerationFailed("no_fact_sentence", "no sentence of the segment states a fact")
        return out

    def llm(self, item: WorkItem, client: LLMClient, model_label: str) -> list[Candidate]:
        out: list[Candidate] = []
        for index, seg in enumerate(self._segments(item)):
            seg_text = " ".join(s.text for s in seg)
            wrote = False
            for style in self._styles(item, index, offline=False):
                prompt = (
                    f"Text:\n{seg_text}\n\nRephrase this text {STYLES[style]}. Keep every fact, name and number and "
                    'add nothing new. Reply as {"text": "..."}.'
                )
                try:
                    text = text_field(ask_json(client, prompt), "text")
                except GenerationFailed:
                    continue
                out.append(self._record(item, seg, text, style, model_label, index))
                wrote = True
            if wrote:
                self._with_original(item, seg, index, out)
        if not out:
            raise GenerationFailed("llm_bad_json", "no usable rephrasing")
        return out

