"""What kind of thing an entity is — person, place, organisation, work, date, number, group,
language or thing — guessed from the graph alone, and the one table of head nouns behind it.

The store keeps no entity types and spaCy's small NER mislabels unfamiliar names (a town called
"Ostravel" comes out as ORG), but the graph usually says what an entity is:

- its name: "Skarn River" (the head noun), "1861" (a year), "twelve" (a number);
- a description joined by a copula: "Ostravel is harbour town", "capital is Hask";
- an apposition in the predicate: "Ostravel harbour town in Veldmark", "Glass Orchard novel by …";
- a predicate cue: "… born in Lisk" (a place), "Tolvik wrote …" (a person).

Two readers use the guesses: the extractive answer reader compares them with NER labels
(``LABELS``), synthesis picks a question word and a noun for an entity (``NOUN_OF_KIND``). The
same head nouns also tell what a question asks for ("which river …", ``hippo.answer.answer_type``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping

from hippo.text import normalize_phrase

KINDS = ("person", "place", "organisation", "work", "date", "number", "group", "language", "thing")

# NER labels of each kind (what an answer of the kind may carry), and one representative label
LABELS: dict[str, frozenset[str]] = {
    "person": frozenset({"PERSON"}),
    "place": frozenset({"GPE", "LOC", "FAC"}),
    "organisation": frozenset({"ORG"}),
    "date": frozenset({"DATE", "TIME"}),
    "number": frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"}),
    "work": frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "LAW"}),
    "group": frozenset({"NORP"}),
    "language": frozenset({"LANGUAGE", "NORP"}),
    "thing": frozenset(),
}
LABEL = {
    "person": "PERSON", "place": "GPE", "organisation": "ORG", "date": "DATE", "number": "CARDINAL",
    "group": "NORP", "language": "LANGUAGE", "work": "WORK_OF_ART",
}
NOUN_OF_KIND = {
    "person": "person", "place": "place", "organisation": "organisation", "work": "work", "date": "year",
    "number": "amount", "group": "group", "language": "language", "thing": "thing",
}

# head noun -> kind: the last word of a name ("Skarn River"), of a description ("harbour town"),
# or the noun after "which"/"what" in a question
HEAD_NOUNS: dict[str, str] = {}
for _kind, _nouns in [
    ("place", "town city country state province county village region area continent island islands river "
     "lake sea ocean mountain mountains valley bay coast place location capital borough district neighborhood "
     "neighbourhood municipality suburb port harbour street park bridge lighthouse tower castle church station "
     "stadium arena venue airport hometown birthplace falls waterfall reserve hill peak forest desert canal "
     "township parish commune highway road route square cathedral temple palace"),
    ("person", "person man woman actor actress singer author writer director player artist musician "
     "composer politician king queen president leader founder poet novelist producer son daughter father "
     "mother wife husband brother sister coach manager footballer rapper emperor prince princess "
     "scientist architect designer painter minister governor senator chancellor pope bishop translator "
     "engineer inventor keeper teacher"),
    ("organisation", "company firm band team club organization organisation university college school institute "
     "foundation museum library press society party network label group publisher airline brand corporation "
     "agency newspaper magazine channel institution orchestra sons brothers inc ltd journal records association "
     "council commission committee union confederation federation navy army bank court parliament government "
     "ministry department exchange airways airlines bureau office authority service services plc llc studios "
     "pictures films media entertainment systems league assembly congress senate"),
    ("date", "year date century decade month day era"),
    ("number", "number amount population percentage"),
    ("group", "nationality religion ethnicity"),
    ("language", "language"),
    ("work", "film movie book novel song album show series play opera game event war battle award prize medal "
     "treaty agreement soundtrack ballet comedy"),
]:
    for _noun in _nouns.split():
        HEAD_NOUNS[_noun] = _kind
# a firm named "Brannock and Sons" is described as a firm, not as "the sons"
HEAD_NOUN_WORD = {"sons": "firm", "brothers": "firm", "inc": "company", "ltd": "company", "corporation": "company"}

COPULAS = frozenset({"is", "was", "are", "were", "be", "been", "became", "becomes", "remains", "s"})
LOCATIVE = frozenset({"in", "at", "near", "from"})
PREPOSITIONS = frozenset({"in", "at", "near", "from", "of", "by", "for", "on", "to", "with", "into"})

_YEAR = re.compile(r"^(?:in\s+)?(?:\d{3,4}|\d{1,2}(?:st|nd|rd|th)? century|(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december)(?:\s+\d{1,2})?,?\s*\d{3,4})s?$", re.I)
MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december"})
NUMBER_WORDS = frozenset({"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                           "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million",
                           "several", "dozen"})
_NUMBER = re.compile(r"^\d[\d,.]*(?:\s+\w+)?$")
_PERSON_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}(?:\s+(?:II|III|IV|Jr\.?|Sr\.?))?$")
# first words of two-word names that are places or titles, not people ("Northern Transvaal")
_NOT_A_GIVEN_NAME = frozenset({"north", "south", "east", "west", "northern", "southern", "eastern", "western", "new",
                               "great", "upper", "lower", "central", "saint", "mount", "lake", "fort", "port", "cape",
                               "bad", "half", "san", "santa", "los", "las", "el", "royal", "national", "united"})
# predicate cues: (words the predicate contains, which end, the kind it suggests)
_CUES: tuple[tuple[tuple[str, ...], str, str], ...] = (
    (("born",), "subject", "person"),
    (("born", "in"), "object", "place"),
    (("died", "in"), "object", "place"),
    (("wrote",), "subject", "person"),
    (("wrote",), "object", "work"),
    (("novel", "by"), "object", "person"),
    (("novel", "by"), "subject", "work"),
    (("author", "of"), "subject", "person"),
    (("author", "of"), "object", "work"),
    (("studied",), "subject", "person"),
    (("married",), "subject", "person"),
    (("founded", "by"), "object", "person"),
    (("written", "by"), "object", "person"),
    (("directed", "by"), "object", "person"),
    (("composed", "by"), "object", "person"),
    (("illustrated", "by"), "object", "person"),
    (("founded", "by"), "subject", "organisation"),
    (("lies", "in"), "object", "place"),
    (("located", "in"), "object", "place"),
    (("located", "in"), "subject", "place"),
    (("lies", "in"), "subject", "place"),
    (("town", "in"), "object", "place"),
    (("town", "in"), "subject", "place"),
    (("capital", "of"), "object", "place"),
)
COPULA_WEIGHT = 2  # a description says more than a predicate cue


def head_kind(phrase: str) -> str | None:
    """Kind of a (normalised) noun phrase by its head noun: 'harbour town' → place, 'town of
    Pellin' → place, 'harbour town in' → place."""
    words = phrase.split()
    if "of" in words:
        words = words[: words.index("of")]
    while words and words[-1] in PREPOSITIONS:
        words = words[:-1]
    return HEAD_NOUNS.get(words[-1]) if words else None


def name_kind(name: str) -> str | None:
    """The kind the name alone says — a year or date, a number, a head noun of a name of several
    words ("Skarn River"), "University of …" — or None."""
    low = name.strip().lower()
    if _YEAR.match(low):
        return "date"
    # "October", "March 1999": a month is a date ("May" the name is rarer than the month)
    month = low.replace(",", "").split()
    if month and month[0] in MONTHS and all(w.isdigit() for w in month[1:]):
        return "date"
    words = low.replace(".", "").split()
    if _NUMBER.match(low) or (words and words[0] in NUMBER_WORDS):
        return "number"
    if len(words) > 1 and words[-1] in HEAD_NOUNS:
        return HEAD_NOUNS[words[-1]]
    if low.startswith(("university of", "city of", "town of")):
        return "organisation" if low.startswith("university") else "place"
    return None


def noun_for(name: str, kind: str) -> str:
    """A common noun for the entity: its own head word when the name has one ("river" for the
    Skarn River), else a noun for its kind."""
    words = name.lower().replace(".", "").split()
    if len(words) > 1 and words[-1] in HEAD_NOUNS:
        return HEAD_NOUN_WORD.get(words[-1], words[-1])
    if name.lower().startswith("university of"):
        return "university"
    return NOUN_OF_KIND.get(kind, "thing")


def predicate_between(text: str, subject: str, obj: str) -> str:
    """The predicate words of a fact text 'subject predicate object' (all normalised)."""
    text, subject, obj = normalize_phrase(text), normalize_phrase(subject), normalize_phrase(obj)
    if subject and text.startswith(subject):
        text = text[len(subject):]
    if obj and text.endswith(obj):
        text = text[: len(text) - len(obj)]
    return text.strip()


def _has(words: list[str], cue: tuple[str, ...]) -> bool:
    n = len(cue)
    return any(tuple(words[i : i + n]) == cue for i in range(len(words) - n + 1))


def _could_be_a_place(name: str) -> bool:
    """After "in" a place is a name ("in Ostravel") or a place noun ("in the city of Atbarah"),
    not a year ("in 1861"), a common noun ("in autumn") or what the name calls otherwise ("in the
    first month")."""
    stripped = name.strip()
    if not stripped or any(ch.isdigit() for ch in stripped):
        return False
    kind = head_kind(normalize_phrase(stripped))
    return kind == "place" or (kind is None and not stripped[0].islower())


def fact_votes(text: str, subject: str, obj: str) -> list[tuple[str, str, int]]:
    """What one fact says about its ends: (end, kind, weight) with end 'subject' or 'object'."""
    predicate = predicate_between(text, subject, obj)
    words = predicate.split()
    votes: list[tuple[str, str, int]] = []
    if words and words[0] in COPULAS:  # "Ostravel is harbour town", "capital is Hask"
        for end, other in (("subject", obj), ("object", subject)):
            kind = head_kind(normalize_phrase(other))
            if kind:
                votes.append((end, kind, COPULA_WEIGHT))
    else:
        kind = head_kind(predicate)  # an apposition: "Ostravel harbour town in Veldmark"
        if kind:
            votes.append(("subject", kind, 1))
        if words and words[-1] in LOCATIVE and _could_be_a_place(obj):
            votes.append(("object", "place", 1))  # "… born in Ostravel"
    for cue, end, kind in _CUES:
        if _has(words, cue) and not (end == "object" and kind == "place" and not _could_be_a_place(obj)):
            votes.append((end, kind, 1))
    return votes


def kind_votes(
    names: Mapping[str, str], facts: Iterable[tuple[str, str, str]]
) -> dict[str, Counter[str]]:
    """Votes for each entity's kind from the facts (subject id, object id, text) it is part of."""
    votes: dict[str, Counter[str]] = {}
    for s, o, text in facts:
        for end, kind, weight in fact_votes(text, names.get(s, ""), names.get(o, "")):
            votes.setdefault(s if end == "subject" else o, Counter())[kind] += weight
    return votes


def guess_kind(name: str, votes: Counter[str] | None) -> str:
    """The one kind of an entity: what its name says, else the facts' strongest vote, else a
    person for a name like 'Maren Tolvik', else 'thing' (the honest answer when no rule fires)."""
    shaped = name_kind(name)
    if shaped is not None:
        return shaped
    if votes:
        return votes.most_common(1)[0][0]
    words = name.lower().split()
    if (_PERSON_NAME.match(name) and words[0] not in _NOT_A_GIVEN_NAME | {"the"}
            and not any(w in HEAD_NOUNS for w in words)):
        return "person"
    return "thing"


def possible_kinds(name: str, votes: Counter[str] | None) -> set[str]:
    """Every kind the name or a fact gives the entity (a reader that compares with NER labels
    accepts any of them)."""
    kinds = set(votes or ())
    shaped = name_kind(name)
    if shaped is not None:
        kinds.add(shaped)
    return kinds
