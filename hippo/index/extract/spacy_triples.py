"""Subject–predicate–object triples read off a spaCy dependency parse.

Patterns (each argument widened to its entity / noun-phrase span by :mod:`spacy_phrases`):
active verbs with objects and prepositional attachments, passives (kept in passive voice, as
LLM OpenIE writes them: "Y was founded by X" -> (Y, founded by, X)), copulas, appositions,
relative and reduced relative clauses, shared subjects of coordinated verbs, coordinated
subjects and objects, and possessive roles ("X's father Y" -> (Y, father of, X)).
"""

from __future__ import annotations

from spacy.tokens import Token

from hippo.index.extract.spacy_phrases import RELATIVE_PRONOUNS, PassageContext, strip_phrase
from hippo.text import normalize_phrase
from hippo.types import Triple

NOUN_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "X"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
# clauses that share the subject of the verb they hang from when they have none of their own
SUBJECT_SHARING_DEPS = frozenset({"conj", "xcomp"})


NUMERIC_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "MONEY", "ORDINAL"})
# "Esther Duflo (MIT)", "Cambridge, Massachusetts": two names side by side, by their kinds
TYPED_APPOSITION = {
    ("PERSON", "ORG"): "affiliated with",
    ("GPE", "GPE"): "located in",
    ("LOC", "GPE"): "located in",
    ("FAC", "GPE"): "located in",
    ("ORG", "GPE"): "located in",
    ("PERSON", "NORP"): "is",
}


class TripleReader:
    """Reads all triples of one parsed passage."""

    def __init__(self, ctx: PassageContext) -> None:
        self.ctx = ctx
        self.doc = ctx.doc
        self._out: list[Triple] = []
        self._seen: set[tuple[str, str, str]] = set()

    def read(self) -> list[Triple]:
        for tok in self.doc:
            if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in ("aux", "auxpass"):
                self._verb(tok)
            if tok.dep_ == "appos":
                self._apposition(tok)
            if tok.dep_ == "poss":
                self._possessive_compound(tok)
            if (
                tok.dep_ == "prep"
                and tok.head.i in self.ctx.entity_at
                and tok.lower_ != "of"
                and self.ctx.entity_at[tok.head.i].label_ not in NUMERIC_LABELS
            ):
                self._entity_prep(tok)
        return self._out

    # --- emitting --------------------------------------------------------------------------

    def _add(self, subject: str | None, predicate: str, obj: str | None) -> None:
        if not subject or not obj:
            return
        subject, obj = strip_phrase(subject), strip_phrase(obj)
        predicate = " ".join(predicate.lower().split())
        s_norm, o_norm = normalize_phrase(subject), normalize_phrase(obj)
        if not s_norm or not o_norm or not normalize_phrase(predicate) or s_norm == o_norm:
            return
        key = (s_norm, normalize_phrase(predicate), o_norm)
        if key in self._seen:
            return
        self._seen.add(key)
        self._out.append(Triple(subject, predicate, obj))

    # --- arguments -------------------------------------------------------------------------

    def _heads_with_conjuncts(self, head: Token) -> list[Token]:
        heads = [head]
        heads.extend(c for c in head.conjuncts if c.pos_ in NOUN_POS or c.pos_ == "ADJ")
        return heads

    def _referent(self, noun: Token) -> list[str]:
        """What a noun that a relative/participle clause modifies stands for.

        "X is a journal published by Y": the journal *is* X, so the clause's subject is X.
        """
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":
            subjects = self._subjects(noun.head)
            if subjects:
                return subjects
        if noun.dep_ == "appos":
            head_phrase = self.ctx.phrase(noun.head)
            if head_phrase:
                return [head_phrase]
        phrase = self.ctx.phrase(noun)
        return [phrase] if phrase else []

    def _arguments(self, head: Token, verb: Token) -> list[str]:
        """Phrases for an argument slot, with conjuncts split and relative pronouns resolved."""
        out: list[str] = []
        head = _quantified(head)
        for h in self._heads_with_conjuncts(head):
            if h.lower_ in RELATIVE_PRONOUNS and h.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                out.extend(self._referent(verb.head))
                continue
            phrase = self.ctx.phrase(h)
            if phrase:
                out.append(phrase)
        return out

    def _subjects(self, verb: Token, depth: int = 0) -> list[str]:
        direct = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if direct:
            out: list[str] = []
            for d in direct:
                out.extend(self._arguments(d, verb))
            return out
        if verb.lemma_ == "be" and verb.dep_ == "ROOT" and self.ctx.title and verb.sent.start == 0:
            # "Titanic is a 1997 film ..." where the parser lost the subject: the title is it
            if any(c.dep_ == "attr" for c in verb.children):
                return [self.ctx.title]
        if depth > 4:
            return []
        if verb.dep_ in SUBJECT_SHARING_DEPS and verb.head.pos_ in ("VERB", "AUX"):
            return self._subjects(verb.head, depth + 1)
        if verb.dep_ == "advcl" and verb.tag_ in ("VBG", "VBN") and verb.head.pos_ in ("VERB", "AUX"):
            return self._subjects(verb.head, depth + 1)
        if verb.dep_ in ("relcl", "acl") and verb.head.pos_ in NOUN_POS:
            return self._referent(verb.head)
        return []

    # --- predicates ------------------------------------------------------------------------

    @staticmethod
    def _is_passive(verb: Token) -> bool:
        if any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children):
            return True
        # reduced relative: "a film directed by X"
        return verb.dep_ in ("acl", "advcl") and verb.tag_ == "VBN"

    @staticmethod
    def _verb_text(verb: Token) -> str:
        """Main verb without auxiliaries: copulas become 'is', others keep their form lowercased.

        Surface past forms are kept instead of lemmas: the lemma merges 'founded' with 'find' and
        'born' with 'bear', which hurts the fact embeddings that query linking relies on.
        """
        if verb.lemma_ == "be":
            words = ["is"]
        else:
            words = [verb.lower_]
        words.extend(c.lower_ for c in verb.children if c.dep_ == "prt")
        if any(c.dep_ == "neg" for c in verb.children):
            words.insert(0, "not")
        return " ".join(words)

    # --- patterns --------------------------------------------------------------------------

    def _verb(self, verb: Token) -> None:
        subjects = self._subjects(verb)
        if not subjects:
            return
        base = self._verb_text(verb)
        passive = self._is_passive(verb)
        for child in verb.children:
            dep = child.dep_
            if dep in ("dobj", "oprd") or (dep == "attr" and verb.lemma_ != "be"):
                self._pairs(subjects, base, self._arguments(child, verb))
                self._noun_preps(subjects, base, child)
            elif dep == "attr":
                self._copula(verb, subjects, child)
            elif dep == "agent":
                for pobj in _pobjs(child):
                    self._pairs(subjects, base + " by", self._arguments(pobj, verb))
            elif dep == "prep":
                pred = base + " " + child.lower_
                if passive and child.lower_ == "by":
                    pred = base + " by"
                for pobj in _pobjs(child):
                    self._pairs(subjects, pred, self._arguments(pobj, verb))
                    self._of_entity(subjects, pred, pobj)
            elif dep == "acomp":
                # "X is famous for Y" -> (X, famous for, Y)
                for prep in (c for c in child.children if c.dep_ == "prep"):
                    for pobj in _pobjs(prep):
                        self._pairs(subjects, f"{child.lower_} {prep.lower_}", self._arguments(pobj, verb))
            elif dep == "dative":
                self._pairs(subjects, base + " to", self._arguments(child, verb))

    def _pairs(self, subjects: list[str], predicate: str, objects: list[str]) -> None:
        for s in subjects:
            for o in objects:
                self._add(s, predicate, o)

    def _copula(self, verb: Token, subjects: list[str], attr: Token) -> None:
        """'X is a Y', 'X is the capital of Z', 'The current editor is X', "X's father is Y"."""
        subj_heads = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        attr_in_entity = attr.i in self.ctx.entity_at
        # a role noun as subject and a name as attribute: the name holds the role for someone
        if len(subj_heads) == 1 and attr_in_entity:
            role = subj_heads[0]
            if role.pos_ in ("NOUN", "PROPN") and role.i not in self.ctx.entity_at:
                owner = self._owner(role)
                if owner:
                    role_text = self.ctx.noun_phrase(role)
                    for o in self._arguments(attr, verb):
                        self._add(o, f"{role_text} of", owner)
                    return
        objects = self._arguments(attr, verb)
        self._pairs(subjects, "is", objects)
        if attr.pos_ == "NOUN" and not attr_in_entity:
            role_text = self._role_text(attr)
            for prep in (c for c in attr.children if c.dep_ == "prep"):
                for pobj in _pobjs(prep):
                    self._pairs(subjects, f"{role_text} {prep.lower_}", self._arguments(pobj, verb))

    def _owner(self, role: Token) -> str | None:
        """Whose role a noun names: its possessor, else (for 'the editor') the passage title."""
        for c in role.children:
            if c.dep_ == "poss":
                return self.ctx.phrase(c)
        dets = [c for c in role.children if c.dep_ == "det"]
        preps = [c for c in role.children if c.dep_ == "prep" and not _hyphen_joined(role, c)]
        if dets and dets[0].lower_ == "the" and self.ctx.title and not preps:
            return self.ctx.title
        return None

    def _role_text(self, noun: Token) -> str:
        """A role noun with its modifiers but without an 'of' tail ('first president')."""
        mods = [c for c in noun.lefts if c.dep_ in ("amod", "compound") and c.right_edge.i < noun.i]
        words = [m.lower_ for m in mods] + [noun.lower_]
        return " ".join(words)

    def _noun_preps(self, subjects: list[str], base: str, obj: Token) -> None:
        """'X won the award for Best Actor' -> (X, won award for, Best Actor) when Y is a name."""
        if obj.pos_ != "NOUN" or obj.i in self.ctx.entity_at:
            return
        for prep in (c for c in obj.children if c.dep_ == "prep" and c.lower_ != "of"):
            for pobj in _pobjs(prep):
                if pobj.i in self.ctx.entity_at:
                    self._pairs(subjects, f"{base} {obj.lower_} {prep.lower_}", self._arguments(pobj, obj))

    def _of_entity(self, subjects: list[str], pred: str, pobj: Token) -> None:
        """'born in the city of London' also links to London: (X, born in city of, London)."""
        if pobj.pos_ not in ("NOUN", "PROPN") or pobj.i in self.ctx.entity_at:
            return
        for prep in (c for c in pobj.children if c.dep_ == "prep" and c.lower_ == "of"):
            for inner in _pobjs(prep):
                if inner.i in self.ctx.entity_at:
                    self._pairs(subjects, f"{pred} {pobj.lower_} of", self._arguments(inner, pobj))

    def _apposition(self, appos: Token) -> None:
        """'X, the Y of Z,' -> (X, is, Y of Z), (X, Y of, Z); "X's father, Y" -> (Y, father of, X)."""
        head = appos.head
        if head.pos_ not in NOUN_POS or appos.pos_ not in NOUN_POS:
            return
        head_ent, appos_ent = self.ctx.entity_at.get(head.i), self.ctx.entity_at.get(appos.i)
        labels = {e.label_ for e in (head_ent, appos_ent) if e is not None}
        if labels & NUMERIC_LABELS:
            return  # "twelve (formerly seven)", "volume 30 (January 2009)": no relation to name
        if head_ent is not None and appos_ent is not None and (head_ent.label_ != appos_ent.label_ or labels == {"GPE"}):
            predicate = TYPED_APPOSITION.get((head_ent.label_, appos_ent.label_))
            if predicate:
                self._add(self.ctx.phrase(head), predicate, self.ctx.phrase(appos))
            return
        for role, name in ((head, appos), (appos, head)):
            if role.pos_ in ("NOUN", "PROPN") and role.i not in self.ctx.entity_at:
                poss = [c for c in role.children if c.dep_ == "poss"]
                if poss and name.i in self.ctx.entity_at:
                    self._add(self.ctx.phrase(name), f"{self._role_text(role)} of", self.ctx.phrase(poss[0]))
                    return
        name_phrase = self.ctx.phrase(head)
        self._add(name_phrase, "is", self.ctx.phrase(appos))
        if appos.pos_ == "NOUN" and appos.i not in self.ctx.entity_at:
            role_text = self._role_text(appos)
            for prep in (c for c in appos.children if c.dep_ == "prep"):
                for pobj in _pobjs(prep):
                    for o in self._arguments(pobj, appos):
                        self._add(name_phrase, f"{role_text} {prep.lower_}", o)

    def _entity_prep(self, prep: Token) -> None:
        """"Jan Solovej from University of Copenhagen" -> (Jan Solovej, from, University of Copenhagen)."""
        name = self.ctx.phrase(prep.head)
        for pobj in _pobjs(prep):
            if pobj.i in self.ctx.entity_at:
                for o in self._arguments(pobj, prep.head):
                    self._add(name, prep.lower_, o)

    def _possessive_compound(self, poss: Token) -> None:
        """"Apple's CEO Tim Cook" -> (Tim Cook, ceo of, Apple)."""
        name = poss.head
        if name.i not in self.ctx.entity_at or poss.i in self.ctx.entity_at and self.ctx.entity_at[poss.i] is self.ctx.entity_at[name.i]:
            return
        roles = [c for c in name.lefts if c.dep_ == "compound" and c.pos_ == "NOUN" and c.i not in self.ctx.entity_at]
        if roles:
            role_text = " ".join(r.lower_ for r in roles)
            self._add(self.ctx.phrase(name), f"{role_text} of", self.ctx.phrase(poss))


# quantity words whose 'of' complement is the real argument ("one of the oldest journals")
QUANTITY_WORDS = frozenset(
    {"one", "some", "many", "most", "all", "several", "few", "each", "any", "none", "both", "hundreds", "thousands", "millions", "dozens", "number", "majority",
     "average", "total", "series", "variety", "lot", "couple", "handful", "dozen"}
)


def _quantified(head: Token) -> Token:
    if head.lower_ in QUANTITY_WORDS or (head.like_num and head.pos_ == "NUM"):
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                objs = _pobjs(prep)
                if objs:
                    return objs[0]
    return head


def _hyphen_joined(head: Token, prep: Token) -> bool:
    """'editor-in-chief': the preposition is part of the word, not an attachment."""
    return prep.i == head.i + 2 and head.doc[head.i + 1].text == "-"


def _pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ == "pobj"]
