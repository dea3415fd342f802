"""WRAP rephrasing: segments of at most ``wrap_segment_tokens`` (300) tokens rephrased as easy,
Wikipedia-like, hard and Q&A styles, written as corpus text. With ``wrap_interleave`` each
segment gets one style (rotating, so every style is used across the corpus) and its original
text beside it: real and synthetic text 1:1, as WRAP mixes them.

Offline only the Q&A style exists: each sentence that states a fact becomes a natural question
answered by the sentence. The other styles need the synthesiser LLM."""

from __future__ import annotations

from hippo.llm.client import LLMClient
from hippo.synth.generators.base import GenerationFailed, WorkItem, register_recipe
from hippo.synth.generators.llm_calls import ask_json, text_field
from hippo.synth.generators.sentences import Sentence, facts_stated_in, mentions, own_sentences
from hippo.synth.generators.template import natural_fact_question
from hippo.synth.partition.base import estimate_tokens
from hippo.synth.records import Candidate, Provenance

STYLES = {
    "easy": "in very simple language a young child could follow, using short sentences",
    "wikipedia": "as a neutral, well-structured encyclopedia paragraph in the style of Wikipedia",
    "hard": "in terse, dense, academic language with precise vocabulary",
    "qa": "as a series of questions and answers, each question naming what it asks about, formatted as "
    "'Question: ...' and 'Answer: ...' lines",
}
OFFLINE_STYLES = ("qa",)


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


class WrapRecipe:
    name = "wrap"
    has_template = True
    work = "passage"
    output = "text"
    option_names = ("wrap_styles", "wrap_interleave", "wrap_segment_tokens")

    def _styles(self, item: WorkItem, index: int, offline: bool) -> list[str]:
        wanted = [s for s in item.option("wrap_styles", tuple(STYLES)) if s in STYLES]
        if offline:
            wanted = [s for s in wanted if s in OFFLINE_STYLES]
        if not wanted:
            raise GenerationFailed("no_offline_style", "offline WRAP writes only the qa style")
        if item.option("wrap_interleave", False):
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
        return segments(own_sentences(item), int(item.option("wrap_segment_tokens", 300)))

    def _with_original(self, item: WorkItem, seg: list[Sentence], index: int, out: list[Candidate]) -> None:
        if item.option("wrap_interleave", False):
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


register_recipe(WrapRecipe)
