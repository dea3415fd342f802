"""What kind of answer a question asks for, as spaCy NER labels: 'who' wants a person, 'where' or
'in which town' a place, 'when' a date, 'how many' a number. The extractive reader prefers
candidates of that kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

PERSON = frozenset({"PERSON"})
PLACE = frozenset({"GPE", "LOC", "FAC"})
ORGANIZATION = frozenset({"ORG"})
DATE = frozenset({"DATE", "TIME"})
NUMBER = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
WORK = frozenset({"WORK_OF_ART", "PRODUCT", "EVENT", "LAW"})
GROUP = frozenset({"NORP"})
LANGUAGE = frozenset({"LANGUAGE", "NORP"})

AUXILIARIES = frozenset({
    "is", "are", "was", "were", "do", "does", "did", "can", "could", "has", "have", "had",
    "will", "would", "should", "shall", "may", "might", "must",
})

# head nouns after "which"/"what" and the kind of answer they ask for
HEAD_NOUNS: dict[str, tuple[str, frozenset[str]]] = {}
for _kind, _labels, _nouns in [
    ("place", PLACE, "town city country state province county village region area continent island river "
     "lake mountain mountains place location capital borough district neighborhood neighbourhood "
     "municipality suburb port sea ocean valley street stadium arena venue airport hometown birthplace"),
    ("person", PERSON, "person man woman actor actress singer author writer director player artist musician "
     "composer politician king queen president leader founder poet novelist producer son daughter father "
     "mother wife husband brother sister coach manager footballer rapper emperor prince princess "
     "scientist architect designer painter minister governor senator chancellor pope bishop"),
    ("organization", ORGANIZATION, "company firm band team club organization organisation university college "
     "school party network label group publisher airline brand corporation agency newspaper magazine "
     "channel station institution orchestra"),
    ("date", DATE, "year date century decade month day era"),
    ("number", NUMBER, "number amount population percentage"),
    ("group", GROUP, "nationality religion ethnicity"),
    ("language", LANGUAGE, "language"),
    ("work", WORK, "film movie book novel song album show series play opera game event war battle award prize"),
]:
    for _noun in _nouns.split():
        HEAD_NOUNS[_noun] = (_kind, _labels)

_FIRST_WH = re.compile(r"\b(which|what|when|where|who|whom|whose|how)\b")


@dataclass(frozen=True)
class AnswerType:
    kind: str  # person | place | organization | date | number | group | language | work | boolean | any
    labels: frozenset[str]
    head: str = ""  # the noun after which/what ("river" in "Which river …"); an answer may carry it
    secondary: frozenset[str] = frozenset()  # labels that fit less often ("who formed the band?" → ORG)

    @property
    def specific(self) -> bool:
        return bool(self.labels)


ANY = AnswerType("any", frozenset())


def answer_type(question: str) -> AnswerType:
    q = " ".join(question.lower().replace("?", " ").split())
    words = q.split()
    if not words:
        return ANY
    if words[0] in AUXILIARIES and " or " not in q:
        return AnswerType("boolean", frozenset())
    # the first question word decides: "Who directed the film which ..." asks for a person
    first = _FIRST_WH.search(q)
    if first is None:
        return ANY
    wh = first.group(1)
    if wh == "how":
        rest = q[first.end():].split()
        if rest and rest[0] in ("many", "much"):
            return AnswerType("number", NUMBER)
        if rest and rest[0] in ("long", "old", "far", "tall", "high", "big", "large"):
            return AnswerType("number", NUMBER | DATE)
        return ANY
    if wh in ("which", "what"):
        for word in q[first.end():].split()[:3]:
            if word in HEAD_NOUNS:
                kind, labels = HEAD_NOUNS[word]
                return AnswerType(kind, labels, word)
        return ANY
    if wh == "when":
        return AnswerType("date", DATE)
    if wh == "where":
        return AnswerType("place", PLACE)
    return AnswerType("person", PERSON, secondary=ORGANIZATION | GROUP)
