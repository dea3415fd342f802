"""The retrieval layer of a passage: its sentences, the entities each sentence names, and the
aliases the passage attests — a graph built for retrieval, not for triples (LinearRAG, SPRIG).

Entities are NER spans plus proper-noun runs NER missed, resolved to one canonical name inside
the passage before they become nodes: a surname alone or a shorter form of a person's name
("Gandhi", "Stanley Hall") becomes the full name mentioned before it or the passage's title, an
acronym ("NASA") the name whose initials it spells, a possessive loses its "'s", a pronoun that
points at the title names the title. Each such merge is also kept as an alias (short form ->
canonical form) so that another passage naming only the short form is joined to the full name
in the graph: merging by more than string identity, and by evidence a passage gave.

Ids depend only on the passage's own text, so re-indexing the same text gives the same nodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from spacy.tokens import Doc, Span

from hippo.index.extract.spacy_phrases import PassageContext, is_meaningful, strip_phrase
from hippo.text import alnum_count, entity_key, normalize_phrase, stable_id
from hippo.types import Passage, PassageLayer, SentenceEntities

# NER kinds that name no thing a question can be about on its own ("12", "first", "40%")
SKIPPED_LABELS = frozenset({"CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"})
# words an acronym's letters skip ("University of California, Los Angeles" -> UCLA)
ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "in", "on", "at", "de", "a", "an", "&"})
MAX_NAME_CHARS = 120


def sentence_id(passage_id: str, position: int) -> str:
    """A sentence belongs to one passage: its id is the passage's (a content hash) and its place."""
    return stable_id("snt", f"{passage_id}\t{position}")


def layer_names(layer: PassageLayer) -> list[str]:
    """Every name the layer needs as a node: canonical names and alias forms."""
    names: dict[str, str] = {}
    for s in layer.sentences:
        for name in s.entities:
            names.setdefault(entity_key(name), name)
    for alias, canonical in layer.aliases:
        names.setdefault(entity_key(alias), alias)
        names.setdefault(entity_key(canonical), canonical)
    return list(names.values())


def sentence_embedding_text(title: str, sentence: str) -> str:
    """What a sentence is embedded as: with its passage's title, which its pronouns point at."""
    return f"{title}: {sentence}" if title else sentence


def _initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w.lower() not in ACRONYM_SKIP]
    return "".join(w[0] for w in words if w[:1].isupper())


def _acronym_letters(text: str) -> str:
    """'NASA' / 'U.S.S.R.' -> the letters; '' when the text is no acronym."""
    letters = text.replace(".", "")
    if 2 <= len(letters) <= 8 and letters.isalpha() and letters.isupper():
        return letters
    return ""


def _usable(name: str) -> bool:
    return bool(name) and len(name) <= MAX_NAME_CHARS and alnum_count(name) >= 2 and is_meaningful(name)


class LayerReader:
    """Reads the retrieval layer of one parsed passage."""

    def __init__(self, doc: Doc, title: str, ctx: PassageContext | None = None) -> None:
        self.ctx = ctx if ctx is not None else PassageContext.build(doc, title)
        self.doc = doc
        self.title = self.ctx.title
        self.aliases: dict[str, str] = {}  # alias key -> canonical name
        self.alias_text: dict[str, str] = {}  # alias key -> its surface form
        self.persons: list[tuple[int, list[str], str]] = []  # (start, lowercase tokens, name) seen so far
        self.long_names: list[str] = []  # multiword names seen so far (acronym targets)
        if self.title:
            self.long_names.append(self.title.split(" (", 1)[0])
            if self.ctx.title_label == "PERSON":
                self.persons.append((-1, self.title.split(" (", 1)[0].lower().split(), self.title))

    def read(self) -> PassageLayer:
        covered: set[int] = set()
        spans: list[tuple[int, Span]] = []
        for ent in self.ctx.entities:
            covered.update(t.i for t in ent)
            if ent.label_ not in SKIPPED_LABELS:
                spans.append((ent.start, ent))
        spans.extend((run.start, run) for run in self._proper_noun_runs(covered))
        spans.sort(key=lambda item: item[0])

        by_sentence: dict[int, list[str]] = {}
        sentence_of = {}
        sentences = list(self.doc.sents)
        for k, sent in enumerate(sentences):
            for tok in sent:
                sentence_of[tok.i] = k
        for _, span in spans:
            name = self._canonical(span)
            if name:
                by_sentence.setdefault(sentence_of.get(span.start, 0), []).append(name)
        # pronouns and "the journal"-style references that point at the title tie their
        # sentence to it (coreference, cheaply)
        for tok in self.doc:
            if self.title and (
                (tok.pos_ == "PRON" and self.ctx.resolve_pronoun(tok) == self.title)
                or self.ctx.is_title_reference(tok)
            ):
                by_sentence.setdefault(sentence_of.get(tok.i, 0), []).append(self.title)
        if self.title and sentences:
            by_sentence.setdefault(0, []).insert(0, self.title)

        layer = PassageLayer()
        for k, sent in enumerate(sentences):
            text = " ".join(sent.text.split())
            if alnum_count(text) < 3:
                continue
            names: dict[str, str] = {}
            for name in by_sentence.get(k, []):
                names.setdefault(entity_key(name), name)
            layer.sentences.append(SentenceEntities(position=k, text=text, entities=list(names.values())))
        layer.aliases = [
            (self.alias_text[key], canonical)
            for key, canonical in sorted(self.aliases.items())
            if entity_key(canonical) != key
        ]
        return layer

    def _proper_noun_runs(self, covered: set[int]) -> list[Span]:
        """Runs of proper nouns NER did not tag ("Salt March", "Kew Gardens")."""
        runs: list[Span] = []
        start: int | None = None
        for tok in [*self.doc, None]:
            inside = tok is not None and tok.pos_ == "PROPN" and tok.i not in covered and tok.is_alpha
            if inside and start is None:
                start = tok.i
            elif not inside and start is not None:
                end = tok.i if tok is not None else len(self.doc)
                runs.append(Span(self.doc, start, end, label="PROPN"))
                start = None
        return runs

    def _canonical(self, span: Span) -> str | None:
        """The name a span stands for in this passage (alias merging), or None."""
        label = span.label_
        if label in ("DATE", "TIME"):
            name = strip_phrase(self.ctx.entity_text(span))
            return name if any(ch.isdigit() for ch in name) and 4 <= alnum_count(name) <= MAX_NAME_CHARS else None
        surface = strip_phrase(self._without_article(span))
        if not _usable(surface):
            return None
        key = entity_key(surface)
        if key in self.aliases:
            return self.aliases[key]
        name = strip_phrase(self.ctx.entity_text(span))  # title match, surname -> earlier full name
        if label == "PERSON" or (label == "PROPN" and len(span) <= 2):
            name = self._person_long_form(span, name)
        acronym = _acronym_letters(surface)
        if acronym:
            for long in reversed(self.long_names):
                if _initials(long) == acronym:
                    name = long
                    break
        if not _usable(name):
            name = surface
        if entity_key(name) != key:
            self.aliases[key] = name
            self.alias_text[key] = surface
        if len(name.split()) > 1:
            self.long_names.append(name)
        if label == "PERSON" and len(name.split()) > 1:
            self.persons.append((span.start, name.lower().split(), name))
        return name

    def _person_long_form(self, span: Span, name: str) -> str:
        """A shorter form of a person named before ("Stanley Hall" after "G. Stanley Hall")."""
        words = normalize_phrase(name).split()
        if not words:
            return name
        for _, tokens, full in reversed(self.persons):
            full_words = normalize_phrase(" ".join(tokens)).split()
            if len(full_words) > len(words) and full_words[-len(words):] == words:
                return full
        return name

    @staticmethod
    def _without_article(span: Span) -> str:
        tokens = list(span)
        if tokens and tokens[0].dep_ == "det" and len(tokens) > 1:
            tokens = tokens[1:]
        return "".join(t.text_with_ws for t in tokens).strip()


def read_layer(doc: Doc, title: str, ctx: PassageContext | None = None) -> PassageLayer:
    """``ctx``: the passage's context when the caller built it already (the spaCy extractor)."""
    return LayerReader(doc, title, ctx).read()


def read_layers(nlp: Any, passages: list[Passage], batch_size: int = 64) -> Iterator[PassageLayer]:
    """The layers of passages an extractor did not parse, one spaCy pass; a passage the pipeline
    or the reader fails on gets an empty layer (its text still counts for dense retrieval)."""
    for passage, doc in zip(passages, nlp.pipe((p.text for p in passages), batch_size=batch_size), strict=True):
        try:
            yield read_layer(doc, passage.title)
        except Exception:  # noqa: BLE001 - one odd parse must not stop indexing
            yield PassageLayer()
