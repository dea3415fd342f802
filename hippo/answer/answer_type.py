"""What kind of answer a question asks for, as spaCy NER labels: 'who' wants a person, 'where' or
'in which town' a place, 'when' a date, 'how many' a number. The extractive reader prefers
candidates of that kind."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hippo.kinds import HEAD_NOUNS, LABELS

PERSON = LABELS["person"]
PLACE = LABELS["place"]
ORGANISATION = LABELS["organisation"]
DATE = LABELS["date"]
NUMBER = LABELS["number"]
GROUP = LABELS["group"]

AUXILIARIES = frozenset({
    "is", "are", "was", "were", "do", "does", "did", "can", "could", "has", "have", "had",
    "will", "would", "should", "shall", "may", "might", "must",
})

_FIRST_WH = re.compile(r"\b(which|what|when|where|who|whom|whose|how)\b")


@dataclass(frozen=True)
class AnswerType:
    kind: str  # a kind of hippo.kinds (person, place, organisation, …), boolean or any
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
                kind = HEAD_NOUNS[word]
                return AnswerType(kind, LABELS[kind], word)
        return ANY
    if wh == "when":
        return AnswerType("date", DATE)
    if wh == "where":
        return AnswerType("place", PLACE)
    return AnswerType("person", PERSON, secondary=ORGANISATION | GROUP)
