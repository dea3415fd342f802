"""Natural questions and descriptions from a fact's predicate, offline.

OpenIE predicates come in a few shapes ("wrote", "born in", "founded by", "is known for",
"flows into", "novel by", "author of"); each shape has a question form a person would write:
"Who wrote The Glass Orchard?", "Where was Maren Tolvik born?", "Who founded Brannock and Sons?".
An entity can also be described through a fact instead of named ("the author of The Glass
Orchard", "the town where Maren Tolvik was born"), which is how multi-hop and deep-research
questions hide their intermediate entities. Every function returns None when no natural form
fits, and the caller falls back to a plain template.
"""

from __future__ import annotations

from dataclasses import dataclass

AUX = {"is", "was", "are", "were", "has", "had", "have", "been", "be"}
PREPS = {"in", "at", "on", "of", "by", "to", "into", "for", "from", "with", "about", "as", "near", "through", "since", "during", "under", "over", "onto", "after", "before", "across", "along", "against"}
LOCATIVE = {"in", "at", "near", "on", "from"}
TEMPORAL = {"in", "on", "at", "during"}
# past tense -> base form, for verbs whose past is not "base + ed"
IRREGULAR_PAST = {
    "wrote": "write", "built": "build", "won": "win", "kept": "keep", "made": "make", "held": "hold", "led": "lead",
    "began": "begin", "became": "become", "took": "take", "gave": "give", "met": "meet", "left": "leave", "ran": "run",
    "sold": "sell", "bought": "buy", "taught": "teach", "fought": "fight", "found": "find", "grew": "grow", "drew": "draw",
    "sang": "sing", "spoke": "speak", "rose": "rise", "fell": "fall", "saw": "see", "went": "go", "came": "come",
    "had": "have", "did": "do", "got": "get", "brought": "bring", "thought": "think", "told": "tell", "said": "say",
    "stood": "stand", "lost": "lose", "paid": "pay", "sent": "send", "spent": "spend", "struck": "strike", "won't": "win",
    "flew": "fly", "chose": "choose", "knew": "know", "bore": "bear", "lay": "lie", "hung": "hang", "shot": "shoot",
    "created": "create", "debuted": "debut", "died": "die", "lied": "lie", "tied": "tie", "heated": "heat", "treated": "treat",
}
# regular verbs whose "-ed + preposition" is active, not passive ("studied at", "lived in")
ACTIVE_WITH_PREP = {
    "studied", "worked", "lived", "died", "served", "played", "moved", "travelled", "traveled", "stayed", "arrived",
    "appeared", "remained", "belonged", "competed", "graduated", "retired", "emigrated", "returned", "participated",
    "settled", "trained", "performed", "starred", "resided", "wrote", "taught", "fought", "ran", "rose", "flowed",
    "occurred", "happened", "originated", "existed", "ended", "lasted", "flourished", "peaked", "debuted", "premiered",
}
# participles that name a state, asked with "is" rather than "was" ("Where is Ostravel located?")
STATE_PARTICIPLES = {"known", "located", "situated", "based", "named", "called", "used", "made", "considered", "regarded", "set"}
IRREGULAR_PARTICIPLES = {
    "born": "bear", "known": "know", "written": "write", "built": "build", "made": "make", "held": "hold", "kept": "keep",
    "given": "give", "taken": "take", "won": "win", "led": "lead", "set": "set", "drawn": "draw", "sung": "sing",
    "spoken": "speak", "sold": "sell", "taught": "teach", "founded": "found", "grown": "grow", "run": "run",
    "shown": "show", "seen": "see", "chosen": "choose", "paid": "pay", "sent": "send",
}
# agent nouns: "the author of X" reads better than "the person who wrote X"
AGENT_NOUN = {
    "write": "author", "found": "founder", "build": "builder", "design": "designer", "paint": "painter",
    "compose": "composer", "direct": "director", "invent": "inventor", "keep": "keeper", "own": "owner",
    "publish": "publisher", "discover": "discoverer", "create": "creator", "translate": "translator", "fund": "funder",
    "edit": "editor", "produce": "producer", "lead": "leader", "govern": "governor", "rule": "ruler",
}
_WORK_NOUNS = {"novel", "book", "poem", "play", "story", "collection", "essay", "memoir", "series"}
_SUPERLATIVE_OR_ROLE = ("est", "first", "last", "capital", "author", "founder", "head", "seat", "mouth", "home")
# nouns before "of" that name one thing ("the capital of"); others take "a" ("a member of")
_ONE_OF = {"capital", "author", "founder", "head", "seat", "mouth", "home", "son", "daughter", "father", "mother",
           "wife", "husband", "part", "source", "headquarters", "birthplace", "creator", "mayor", "president", "widow"}
_VOWEL = set("aeiou")


def base_of_past(word: str) -> str | None:
    """The base form of a past-tense verb ("founded" -> "found", "studied" -> "study"), or None
    when the word does not look like one."""
    w = word.lower()
    if w in IRREGULAR_PAST:
        return IRREGULAR_PAST[w]
    if not w.endswith("ed") or len(w) < 4:
        return None
    stem = w[:-2]
    if w.endswith("ied"):
        return w[:-3] + "y"
    if len(stem) >= 3 and stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1]  # stopped -> stop
    # a stem that cannot end an English verb without a silent e: translat-e, produc-e, receiv-e
    if stem.endswith(("at", "iz", "is", "ac", "uc", "nc", "rc", "v", "bl", "pl", "dl", "tl", "ur", "os", "as", "us", "ag", "g", "ut", "it", "id")) and not stem.endswith(("ait", "eat", "oat", "ssit", "isit", "ibit", "edit", "ed", "eg", "ng", "rg")):
        if not stem.endswith(("it", "id")) or stem.endswith(("uit", "cit", "vid", "cid")):
            return stem + "e"
    vowels = [i for i, c in enumerate(stem) if c in _VOWEL]
    # one-syllable consonant-vowel-consonant stems take an e: nam-e, bas-e (not own, form, join)
    if len(vowels) == 1 and vowels[0] == len(stem) - 2 and stem[-1] not in "wxy" and len(stem) <= 4:
        return stem + "e"
    return stem


def base_of_present(word: str) -> str | None:
    """The base form of a third-person present verb ("flows" -> "flow"), or None."""
    w = word.lower()
    if w in ("is", "has", "does", "was"):
        return None
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("shes", "ches", "sses", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return None


def participle_base(word: str) -> str | None:
    w = word.lower()
    if w in IRREGULAR_PARTICIPLES:
        return IRREGULAR_PARTICIPLES[w]
    if w.endswith("ed"):  # "created" is listed as a past only for its base form
        return base_of_past(w)
    return None


def past_of(base: str, participle: str) -> str:
    """The simple past for an active question built from a passive predicate ("founded by")."""
    for past, b in IRREGULAR_PAST.items():
        if b == base:
            return past
    return participle


@dataclass(frozen=True)
class Predicate:
    """A predicate split into its shape. ``form`` is one of copula, passive, agentive (passive
    with "by"), past, present, nominal."""

    words: tuple[str, ...]
    form: str
    aux: str = ""
    verb: str = ""  # the verb as written (participle, past or present form)
    base: str = ""  # its base form
    rest: tuple[str, ...] = ()  # the words after the verb (or the whole nominal phrase)

    @property
    def last(self) -> str:
        return self.rest[-1] if self.rest else ""

    def rest_text(self, drop_last: bool = False) -> str:
        words = self.rest[:-1] if drop_last else self.rest
        return " ".join(words)


def parse_predicate(text: str) -> Predicate | None:
    words = tuple(w for w in text.lower().replace(",", " ").split() if w)
    if not words:
        return None
    aux = ""
    body = words
    if body[0] in AUX:
        aux, body = body[0], body[1:]
        if body and body[0] in ("been", "be"):
            body = body[1:]
    if not body:
        return Predicate(words, "copula", aux=aux)
    head, rest = body[0], body[1:]
    part = participle_base(head)
    # "kept", "built", "won" are past and participle alike: passive only with an auxiliary or "by"
    ambiguous = head in IRREGULAR_PAST and not aux and rest[:1] != ("by",)
    # "performed by", "located outside": "by" and a state participle make a passive whatever the verb
    passive_cue = rest[:1] == ("by",) or head in STATE_PARTICIPLES
    if part is not None and (head not in ACTIVE_WITH_PREP or passive_cue) and not ambiguous and (
            aux or (rest and rest[0] in PREPS) or head in IRREGULAR_PARTICIPLES or passive_cue):
        # "born in", "was founded by", "translated into": a participle, passive
        if rest and rest[-1] == "by" and len(rest) == 1 and head not in STATE_PARTICIPLES:
            # "known by", "called by" name a name, not an agent ("better known by Eldee"): passive
            return Predicate(words, "agentive", aux=aux or "was", verb=head, base=part, rest=rest)
        if aux or rest:
            return Predicate(words, "passive", aux=aux or _passive_aux(head, rest), verb=head, base=part, rest=rest)
    if aux:
        return Predicate(words, "nominal", aux=aux, rest=body)
    past = base_of_past(head)
    if past is not None:
        return Predicate(words, "past", verb=head, base=past, rest=rest)
    present = base_of_present(head)
    if present is not None and (not rest or rest[0] in PREPS or len(rest) <= 2):
        return Predicate(words, "present", verb=head, base=present, rest=rest)
    return Predicate(words, "nominal", aux="is", rest=body)


def _passive_aux(participle: str, rest: tuple[str, ...] = ()) -> str:
    # "set in Paris" is a state, "set up in 1973" an event
    return "is" if participle in STATE_PARTICIPLES and rest[:1] != ("up",) else "was"


def _article(phrase: tuple[str, ...]) -> str:
    first = phrase[0] if phrase else ""
    if first.endswith(_SUPERLATIVE_OR_ROLE) or (len(phrase) >= 2 and phrase[-1] == "of" and phrase[-2] in _ONE_OF):
        return "the"
    if first in ("the", "a", "an"):
        return ""
    return "an" if first[:1] in _VOWEL else "a"


def _wh(kind: str, last_prep: str, temporal_ok: bool = True) -> tuple[str, bool]:
    """(question word, whether it absorbs the trailing preposition)."""
    if kind == "place" and last_prep in LOCATIVE:
        return "Where", True
    if kind == "date" and last_prep in TEMPORAL and temporal_ok:
        return "When", True
    if kind == "date" and last_prep == "since":
        return "Since when", True
    if kind == "person":
        return "Who", False
    return "What", False


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def ask_object(subject: str, predicate: str, answer_kind: str, answer: str = "") -> str | None:
    """A question about the object of "subject predicate object" ("Where was Maren Tolvik
    born?"). ``subject`` may be a name or a description."""
    p = parse_predicate(predicate)
    if p is None:
        return None
    wh, drop = _wh(answer_kind, p.last)
    if answer_kind == "number" and answer:
        unit = answer.split()[-1:] if len(answer.split()) > 1 else []
        if unit and unit[0].isalpha():
            wh, drop = f"How many {unit[0].lower()}", False
    if p.form == "copula":
        return f"{'Who' if answer_kind == 'person' else 'What'} {p.aux} {subject}?"
    if p.form == "agentive":
        return f"{'Who' if answer_kind == 'person' else 'What'} {past_of(p.base, p.verb)} {subject}?"
    if p.form == "passive":
        return _join(wh, p.aux, subject, p.verb, p.rest_text(drop)) + "?"
    if p.form in ("past", "present"):
        do = "did" if p.form == "past" else "does"
        return _join(wh, do, subject, p.base, p.rest_text(drop)) + "?"
    if p.form == "nominal":
        if p.last not in PREPS or drop:
            # "Ostravel harbour town": nothing to ask the object with; "Where is Ostravel a
            # harbour town?" reads as a riddle, not a question
            return None
        return _join(wh, p.aux, subject, _article(p.rest), p.rest_text(drop)) + "?"
    return None


def ask_subject(obj: str, predicate: str, answer_kind: str) -> str | None:
    """A question about the subject of "subject predicate object" ("Who wrote The Glass
    Orchard?"). ``obj`` may be a name or a description."""
    p = parse_predicate(predicate)
    if p is None or p.form == "copula":
        return None  # "Who is a novelist?" has many answers
    wh = "Who" if answer_kind == "person" else "What"
    if p.form == "agentive":
        return _join(wh, p.aux, p.verb, "by", obj) + "?"
    if p.form == "passive":
        return _join(wh, p.aux, p.verb, p.rest_text(), obj) + "?"
    if p.form in ("past", "present"):
        return _join(wh, p.verb, p.rest_text(), obj) + "?"
    if p.last not in PREPS:
        return None
    return _join(wh, p.aux, "the", p.rest_text(), obj) + "?"


def describe_object(subject: str, predicate: str, kind: str, noun: str) -> str | None:
    """The object of "subject predicate ?" described, not named ("the place where Maren Tolvik
    was born", "the work that Maren Tolvik wrote")."""
    p = parse_predicate(predicate)
    if p is None or p.form == "copula":
        return None
    rel = "who" if kind == "person" else "that"
    if p.form == "agentive":
        agent = AGENT_NOUN.get(p.base)
        if agent:
            return f"the {agent} of {subject}"
        return f"the {noun} {rel} {past_of(p.base, p.verb)} {subject}"
    if p.form == "passive":
        if kind == "place" and p.last in LOCATIVE:
            return _join("the", noun, "where", subject, p.aux, p.verb, p.rest_text(True))
        if kind == "date" and p.last in TEMPORAL:
            return _join("the", noun, "when", subject, p.aux, p.verb, p.rest_text(True))
        return _join("the", noun, rel, subject, p.aux, p.verb, p.rest_text())
    if p.form in ("past", "present"):
        if kind == "place" and p.last in LOCATIVE:
            return _join("the", noun, "where", subject, p.verb, p.rest_text(True))
        return _join("the", noun, rel, subject, p.verb, p.rest_text())
    if p.rest and p.rest[0] in _WORK_NOUNS and p.last == "by":
        return f"the author of {subject}"
    return None


def describe_subject(obj: str, predicate: str, kind: str, noun: str) -> str | None:
    """The subject of "? predicate object" described ("the author of The Glass Orchard",
    "the person born in Ostravel", "the novel by Maren Tolvik")."""
    p = parse_predicate(predicate)
    if p is None or p.form == "copula":
        return None
    rel = "who" if kind == "person" else "that"
    if p.form == "agentive":
        return _join("the", noun, p.verb, "by", obj)
    if p.form == "passive":
        return _join("the", noun, p.verb, p.rest_text(), obj)
    if p.form == "past":
        agent = AGENT_NOUN.get(p.base)
        if agent and not p.rest:
            return f"the {agent} of {obj}"
        return _join("the", noun, rel, p.verb, p.rest_text(), obj)
    if p.form == "present":
        return _join("the", noun, rel, p.verb, p.rest_text(), obj)
    if p.last in PREPS:
        return _join("the", p.rest_text(), obj)
    return None


def question(text: str) -> str:
    return cap(text.strip())
