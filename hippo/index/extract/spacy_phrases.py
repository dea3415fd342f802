"""Turning parse-tree heads into the phrases that become graph nodes.

A triple argument starts as one token (the head of a noun phrase). This module widens it to the
phrase a reader would name — the named-entity span when the head lies in one, else the head with
its compound/adjective/number modifiers — and resolves pronouns and "the journal"-style back
references to the passage's main subject (its title) or to the latest fitting named entity.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Span, Token

from hippo.index.extract.spacy_spans import entity_spans
from hippo.text import alnum_count, entity_key, normalize_phrase

# labels a neuter pronoun ("it", "its") can point at
NEUTER_LABELS = frozenset({"ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT", "LAW", "NORP", "LANGUAGE"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers", "himself", "herself"})
NEUTER_PRONOUNS = frozenset({"it", "its", "itself"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs", "themselves"})
RELATIVE_PRONOUNS = frozenset({"who", "whom", "which", "that", "whose"})
# left modifiers that belong to a noun phrase's name ("peer-reviewed journal", "2018 Impact Factor")
NAME_MODIFIER_DEPS = frozenset({"compound", "amod", "nummod", "nmod", "quantmod"})
# nouns of fixed prepositional phrases ("on behalf of", "in front of"): never nodes themselves
LIGHT_NOUNS = frozenset(
    {"behalf", "part", "front", "spite", "terms", "lieu", "addition", "favor", "favour", "account", "means", "charge", "course"}
)
# kinds of things Wikipedia-style passages refer back to their subject by ("the city ...")
KIND_NOUNS = frozenset(
    {"city", "town", "village", "club", "band", "film", "company", "album", "song", "river", "team", "show",
     "series", "state", "country", "university", "school", "station", "game", "novel", "book", "journal",
     "magazine", "newspaper", "church", "building", "airport", "party", "organization", "organisation",
     "group", "island", "lake", "mountain", "county", "district", "province", "region", "municipality"}
)
# demonstratives and articles a back reference starts with ("the journal", "this film")
DEFINITE_DETERMINERS = frozenset({"the", "this", "that", "these", "those"})


def strip_phrase(text: str) -> str:
    """Trim spaces, quotes and a trailing possessive marker from a phrase."""
    text = text.strip().strip("\"'`“”‘’").strip()
    for suffix in ("'s", "’s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)].rstrip()
    return text


def is_meaningful(text: str) -> bool:
    """A phrase worth a node: has a letter or is a date/number NER kept; not stopwords only."""
    norm = normalize_phrase(text)
    if alnum_count(norm) < 2:
        return False  # "F", "C", "a": too short to name anything (HippoRAG skips them too)
    words = norm.split()
    if all(w in STOP_WORDS for w in words):
        return False
    return any(ch.isalpha() for ch in norm)


@dataclass
class PassageContext:
    """Per-passage state the phrase builder needs: the title and where named entities lie."""

    doc: Doc
    title: str
    title_label: str | None = None  # NER label of the title's mention, if known
    class_lemmas: set[str] = field(default_factory=set)  # "X is a journal" -> {"journal"}
    entities: list[Span] = field(default_factory=list)  # cleaned NER spans, in text order
    entity_at: dict[int, Span] = field(default_factory=dict)  # token index -> entity span
    title_key: str = ""  # normalised title without disambiguation or leading article

    @classmethod
    def build(cls, doc: Doc, title: str) -> PassageContext:
        ctx = cls(doc=doc, title=title.strip())
        ctx.title_key = ctx._title_core()
        ctx.entities = entity_spans(doc, keep=ctx.title_key)
        for ent in ctx.entities:
            for tok in ent:
                ctx.entity_at[tok.i] = ent
        ctx.title_label = ctx._guess_title_label()
        ctx.class_lemmas = ctx._title_class_lemmas()
        return ctx

    # --- what the title is ---------------------------------------------------------------

    def _title_core(self) -> str:
        # "Mercury (planet)" -> "mercury": the disambiguation never appears in the text
        core = self.title.split(" (", 1)[0]
        return entity_key(core)

    def _guess_title_label(self) -> str | None:
        core = self.title_key
        if not core:
            return None
        for ent in self.entities:
            norm = normalize_phrase(ent.text)
            if norm == core or entity_key(norm) == core:
                return ent.label_
        for ent in self.entities:
            norm = normalize_phrase(ent.text)
            if ent.label_ == "PERSON" and norm and (norm in core or core in norm):
                return "PERSON"
        first = next(iter(self.doc.sents), None)
        if first is not None and any(t.lower_ in ("born", "née") for t in first):
            return "PERSON"
        return None

    def _title_class_lemmas(self) -> set[str]:
        """Head nouns the first sentence calls the title ("X is an American film" -> film)."""
        lemmas: set[str] = set()
        first = next(iter(self.doc.sents), None)
        if first is None:
            return lemmas
        for tok in first:
            if tok.dep_ in ("attr", "appos") and tok.pos_ in ("NOUN", "PROPN") and tok.i not in self.entity_at:
                lemmas.add(tok.lemma_.lower())
                lemmas.update(c.lemma_.lower() for c in tok.conjuncts if c.pos_ == "NOUN")
        return lemmas

    # --- pronouns and back references ----------------------------------------------------

    def _title_fits(self, pronoun: str) -> bool:
        if not self.title:
            return False
        if pronoun in PERSON_PRONOUNS:
            return self.title_label in (None, "PERSON")
        if pronoun in NEUTER_PRONOUNS:
            return self.title_label != "PERSON"
        return True

    def resolve_pronoun(self, tok: Token) -> str | None:
        """The title if it fits the pronoun's kind, else the latest preceding fitting entity."""
        pronoun = tok.lower_
        if pronoun not in PERSON_PRONOUNS | NEUTER_PRONOUNS | PLURAL_PRONOUNS:
            return None
        if self._title_fits(pronoun):
            return self.title
        for ent in reversed(self.entities):
            if ent.end > tok.i:
                continue
            if pronoun in PERSON_PRONOUNS and ent.label_ == "PERSON":
                return strip_phrase(ent.text)
            if pronoun in NEUTER_PRONOUNS and ent.label_ in NEUTER_LABELS:
                return strip_phrase(ent.text)
            if pronoun in PLURAL_PRONOUNS and ent.label_ in NEUTER_LABELS | {"PERSON"}:
                return strip_phrase(ent.text)
        return None

    def is_title_reference(self, head: Token) -> bool:
        """'The journal was first published ...' in a passage whose title is a journal.

        Without a first-sentence definition (a later section of an article), common kind nouns
        ("the city", "the band") count, unless the title is a person.
        """
        if not self.title or head.i in self.entity_at or head.pos_ != "NOUN":
            return False
        lemma = head.lemma_.lower()
        if lemma not in self.class_lemmas:
            if self.class_lemmas or self.title_label == "PERSON" or lemma not in KIND_NOUNS:
                return False
        dets = [c for c in head.lefts if c.dep_ == "det"]
        if not dets or dets[0].lower_ not in DEFINITE_DETERMINERS:
            return False
        # "the first journal of its kind" names something else; only bare back references count
        return not any(c.dep_ in ("amod", "compound", "nummod", "poss") for c in head.lefts)

    # --- heads to phrases ----------------------------------------------------------------

    def entity_text(self, ent: Span) -> str:
        """An entity's text without a leading lowercase article ("the University of X"); a
        surname alone becomes the full name mentioned before it ("Hall" -> "G. Stanley Hall")."""
        if self.title and entity_key(ent.text) == self.title_key:
            return self.title
        if ent.label_ == "PERSON" and len(ent) == 1:
            full = self._full_name(ent)
            if full:
                return full
        start = ent.start
        first = self.doc[start]
        if first.dep_ == "det" and (first.is_lower or first.is_sent_start) and ent.end - start > 1:
            start += 1
        return strip_phrase(self.doc[start : ent.end].text)

    def _full_name(self, ent: Span) -> str | None:
        surname = ent[0].lower_
        title_words = self.title_key.split()
        if self.title_label == "PERSON" and len(title_words) > 1 and title_words[-1] == surname:
            return self.title
        for other in self.entities:
            if other.start >= ent.start:
                break
            if other.label_ == "PERSON" and len(other) > 1 and other[-1].lower_ == surname:
                return self.entity_text(other)
        return None

    def phrase(self, head: Token) -> str | None:
        """The node text for a head token, or None when it names nothing useful."""
        if head.pos_ == "PRON" or head.tag_ in ("PRP", "PRP$", "WP", "WDT", "WP$"):
            return self.resolve_pronoun(head)
        ent = self.entity_at.get(head.i)
        if ent is not None:
            text = self.entity_text(ent)
            return text if text else None
        if self.is_title_reference(head):
            return self.title
        named = self.named_apposition(head)
        if named is not None:
            return self.entity_text(named)
        if head.pos_ not in ("NOUN", "PROPN", "NUM", "X", "ADJ", "VERB") or head.lower_ in LIGHT_NOUNS:
            return None
        text = self.noun_phrase(head)
        if not text or not is_meaningful(text):
            return None
        return text

    def named_apposition(self, head: Token) -> Span | None:
        """"Apple's CEO Tim Cook visited ...": the role noun stands for the name beside it."""
        if head.pos_ not in ("NOUN", "PROPN") or head.i in self.entity_at:
            return None
        for child in head.rights:
            if child.dep_ == "appos" and child.i in self.entity_at:
                ent = self.entity_at[child.i]
                if ent.label_ not in ("DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "MONEY"):
                    return ent
        return None

    def noun_phrase(self, head: Token) -> str:
        """Head plus its name-like left modifiers and, for common nouns, a short 'of' tail."""
        start = head.i
        for child in reversed(list(head.lefts)):
            if child.right_edge.i + 1 != start:
                break  # modifiers must be contiguous with what we already have
            if child.dep_ in NAME_MODIFIER_DEPS and not _is_pronoun(child):
                start = child.left_edge.i
            elif child.dep_ == "punct" and child.text in "-–":
                start = child.i
            else:
                break
        end = head.i + 1
        # flat multiword names the tagger split ("George T. Solomon" when NER missed it)
        while end < len(self.doc) and self.doc[end].dep_ in ("flat", "compound") and self.doc[end].head.i == head.i:
            end += 1
        if head.pos_ == "NOUN" or (head.pos_ == "PROPN" and head.i not in self.entity_at):
            end = self._of_tail(head, end)
        tokens = [t for t in self.doc[start:end] if not (t.dep_ == "det" or t.dep_ == "case")]
        return strip_phrase(_join(tokens))

    def _of_tail(self, head: Token, end: int) -> int:
        """'end of 2016', 'theorem of calculus': keep a short 'of X' that completes a common noun."""
        for child in head.rights:
            if child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
                objs = [g for g in child.children if g.dep_ == "pobj"]
                if objs and objs[0].right_edge.i - child.i <= 4 and not any(
                    t.dep_ in ("relcl", "acl", "prep", "cc", "conj", "appos") for t in objs[0].children
                ):
                    return objs[0].right_edge.i + 1
        return end


def _is_pronoun(tok: Token) -> bool:
    return tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$", "WP", "WP$")


def _join(tokens: list[Token]) -> str:
    """Rebuild text from tokens with their original spacing."""
    if not tokens:
        return ""
    parts = [t.text_with_ws for t in tokens[:-1]] + [tokens[-1].text]
    return "".join(parts)
