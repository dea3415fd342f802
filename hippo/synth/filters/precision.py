"""What an offline (template) pair must satisfy before it is emitted: its answer is a named
entity, a date or a number copied from the source sentence (not a generic head noun such as
"town", not a name a pronoun stood for), the entity the question names is one too, the predicate
is stated in that sentence, and the question neither contains its answer nor falls back to a
placeholder ("the entity that …"). Each function returns a rejection reason or None; the reasons
are what the run summary counts."""

from __future__ import annotations

import re
from dataclasses import replace

from hippo.kinds import name_kind
from hippo.synth.units import FactUnit
from hippo.text import normalize_phrase

ARTICLES = {"the", "a", "an"}
_CONNECTORS = ARTICLES | {"of", "and", "de", "von", "van", "la", "le", "du", "der", "del", "da", "&"}
PRONOUNS = {
    "he", "she", "it", "they", "him", "her", "them", "his", "hers", "its", "their", "theirs", "this", "that",
    "these", "those", "who", "which", "i", "we", "you", "one",
}
# what the plain templates write when a predicate has no natural question form
PLACEHOLDERS = ("fill in the blank", "which entity completes", "who or what", "which entity", "the entity that",
                "the thing that", "the entity who")
_TOKEN = re.compile(r"\S+")
# an article with no noun after it: "What is the in Manhattan?", "What is X a from?"
_HOLLOW = re.compile(r"\b(?:the|a|an)\s+(?:in|on|at|of|to|by|from|near|for|with|into|as|\?)(?:\s|\?|$)|\b(?:the|a|an)\?",
                     re.IGNORECASE)
_MID_SENTENCE = re.compile(r"[a-z0-9,;:]\s+$")


def _clean(token: str) -> str:
    return token.strip(",;:()\"“”'‘’.!?")


def _capitalised(token: str) -> bool:
    word = _clean(token)
    return bool(word) and word[0].isupper()


def _occurrences(sentence: str, name: str) -> list[tuple[int, int]]:
    # the graph may keep a name in canonical lower case ("ostravel"): the sentence's spelling counts
    pattern = re.compile(r"(?<![\w'’-])" + re.escape(name) + r"(?![\w-])", re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(sentence)]


def written_as(name: str, sentence: str) -> str:
    """The name as the sentence spells it (the name itself when the sentence lacks it)."""
    found = _occurrences(sentence, name.strip())
    return sentence[found[0][0] : found[0][1]] if found else name


def _partial(sentence: str, start: int, end: int) -> bool:
    """Is this occurrence part of a longer name ("Daughter" of "The Orchard Keeper's Daughter")?"""
    before = sentence[:start]
    after = sentence[end:]
    prev = _TOKEN.findall(before)
    nxt = _TOKEN.findall(after)
    if prev and not before.endswith((", ", "; ", ": ", "(", "\"", "“")):
        word = prev[-1]
        if _capitalised(word) and _clean(word).lower() not in ARTICLES and not word.endswith((",", ";", ":", ".")):
            return True
        # "Sons" of "Brannock and Sons"
        if word.lower() in _CONNECTORS - ARTICLES and len(prev) > 1 and _capitalised(prev[-2]) and not prev[-2].endswith(","):
            return True
    if nxt and not after.startswith((",", ";", ":", ".", ")", "'s", "’s")):
        word = nxt[0]
        if _capitalised(word) and _clean(word).lower() not in _CONNECTORS:
            return True
        if word.lower() in _CONNECTORS - ARTICLES and len(nxt) > 1 and _capitalised(nxt[1]) and _clean(nxt[1]).lower() not in ARTICLES:
            return True
    return False


def is_date_or_number(text: str) -> bool:
    return name_kind(text) in ("date", "number")


def name_problem(name: str, sentence: str, context: str = "") -> str | None:
    """None when ``name`` is a named entity, date or number written as such in ``sentence``;
    else why not: pronoun, not_in_sentence, generic (a common noun), partial_name. ``context``
    (the passages) may show that a sentence-initial word is a name elsewhere too."""
    text = name.strip()
    if not text:
        return "empty"
    if normalize_phrase(text) in PRONOUNS:
        return "pronoun"
    found = _occurrences(sentence, text)
    if not found:
        return "not_in_sentence"
    if is_date_or_number(text):
        return None if _plain_quantity(text) else "generic"
    text = sentence[found[0][0] : found[0][1]]
    words = text.split()
    content = [w for w in words if _clean(w).lower() not in _CONNECTORS]
    # "town of Cardre", "author of Winter Orchard": a description headed by a common noun
    if not content or not _capitalised(content[0]):
        return "generic"
    if all(_partial(sentence, s, e) for s, e in found):
        return "partial_name"
    # a capital letter proves a name unless it only opens the sentence ("Salmon fishing …")
    multiword = sum(1 for w in content if _capitalised(w)) >= 2 or (len(words) > 1 and _capitalised(words[-1]))
    if multiword or any(s > 0 for s, _ in found):
        return None
    elsewhere = [s for s, _ in _occurrences(context, text) if _MID_SENTENCE.search(context[:s])]
    return None if elsewhere else "generic"


def _plain_quantity(text: str) -> bool:
    """A date, a year or a count with its plural unit ("thirty years"), not "1980 novel"."""
    words = text.split()
    if name_kind(text) == "date" or len(words) == 1:
        return True
    return len(words) <= 3 and words[-1].islower() and words[-1].endswith("s")


def predicate_problem(predicate: str, sentence: str) -> str | None:
    """The predicate's words, articles aside, appear together in the sentence ("kept for" is not
    stated by "kept the lighthouse for thirty years": the triple dropped what was kept)."""
    def strip(text: str) -> str:
        return " ".join(w for w in normalize_phrase(text).split() if w not in ARTICLES)

    words = strip(predicate)
    if not words:
        return None
    return None if f" {words} " in f" {strip(sentence)} " else "predicate_not_in_sentence"


def question_problem(question: str, answer: str, hidden: tuple[str, ...] = (), template: bool = True) -> str | None:
    """The question names no answer and none of ``hidden`` (a multi-hop question's bridge) and,
    when a template wrote it, is not a placeholder form."""
    q = f" {normalize_phrase(question)} "
    if template and (any(f" {p} " in q for p in PLACEHOLDERS) or _HOLLOW.search(question)):
        return "ill_formed_question"
    key = normalize_phrase(answer)
    if key and f" {key} " in q:
        return "answer_in_question"
    for name in hidden:
        n = normalize_phrase(name)
        if n and f" {n} " in q:
            return "names_bridge"
    return None


def fact_problem(fact: FactUnit, answer: str, known: str, context: str = "") -> str | None:
    """A one-fact pair stands when both ends are names written in the fact's sentence and the
    sentence states the predicate; ``answer`` is the end asked for, ``known`` the one named."""
    if not fact.sentence:
        return "no_source_sentence"
    answer, known = written_as(answer, fact.sentence), written_as(known, fact.sentence)
    reason = name_problem(answer, fact.sentence, context)
    if reason:
        return f"answer_{reason}"
    reason = name_problem(known, fact.sentence, context)
    if reason:
        return f"question_entity_{reason}"
    return predicate_problem(fact.predicate, fact.sentence)


def question_shape_problem(fact: FactUnit, answer: str) -> str | None:
    """What the predicate's shape says about a one-fact question: a copula's object is a class
    ("What is FM?" -> "Canadian radio station"), and a date or number asked about has many
    subjects ("Who was established in 2014?")."""
    from hippo.synth.generation.phrasing import parse_predicate

    asks_object = normalize_phrase(answer) == normalize_phrase(fact.object)
    pred = parse_predicate(fact.predicate)
    if asks_object and pred is not None and pred.form == "copula":
        return "class_answer"
    if not asks_object and is_date_or_number(fact.object):
        return "ambiguous_question"
    return None


def other_end(fact: FactUnit, answer: str) -> str:
    return fact.subject if answer == fact.object else fact.object


def as_written(fact: FactUnit) -> FactUnit:
    """The fact with both ends spelled as its sentence spells them, so a question and its answer
    key copy the source text."""
    if not fact.sentence:
        return fact
    return replace(fact, subject=written_as(fact.subject, fact.sentence), object=written_as(fact.object, fact.sentence))


def whole_occurrence(sentence: str, name: str) -> tuple[int, int] | None:
    """The first place the sentence writes ``name`` as a whole name (not inside a longer one)."""
    for start, end in _occurrences(sentence, name):
        if not _partial(sentence, start, end):
            return start, end
    return None
