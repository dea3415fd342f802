"""Coarse entity kinds (person, place, organisation, work, time, number, thing) guessed from the
graph alone: the shape of the name and the predicates the entity takes part in. The store keeps
no entity types, and these guesses only choose a question word ("Who", "Where", "When") and a
noun for describing an entity without naming it, so cheap rules are enough; "thing" is the
honest answer when no rule fires.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from hippo.synth.topology import Topology

KINDS = ("person", "place", "organisation", "work", "time", "number", "thing")
KIND_NOUN = {
    "person": "person",
    "place": "place",
    "organisation": "organisation",
    "work": "work",
    "time": "year",
    "number": "amount",
    "thing": "thing",
}

_YEAR = re.compile(r"^(?:in\s+)?(?:\d{3,4}|\d{1,2}(?:st|nd|rd|th)? century|(?:\d{1,2}\s+)?(?:january|february|march|april|may|june|july|august|september|october|november|december)(?:\s+\d{1,2})?,?\s*\d{3,4})s?$", re.I)
_NUMBER_WORDS = {"one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "thousand", "million", "several", "dozen"}
_NUMBER = re.compile(r"^\d[\d,.]*(?:\s+\w+)?$")
# the last word of a name that says what it is ("Skarn River", "Ostravel Lighthouse")
HEAD_NOUNS = {
    "river": "place", "lake": "place", "sea": "place", "ocean": "place", "mountain": "place", "mountains": "place",
    "island": "place", "islands": "place", "town": "place", "city": "place", "village": "place", "county": "place",
    "valley": "place", "bay": "place", "coast": "place", "street": "place", "park": "place", "bridge": "place",
    "lighthouse": "place", "tower": "place", "castle": "place", "church": "place", "station": "place", "harbour": "place",
    "university": "organisation", "college": "organisation", "school": "organisation", "institute": "organisation",
    "company": "organisation", "foundation": "organisation", "museum": "organisation", "library": "organisation",
    "press": "organisation", "society": "organisation", "party": "organisation", "club": "organisation",
    "sons": "organisation", "brothers": "organisation", "inc": "organisation", "ltd": "organisation", "corporation": "organisation",
    "prize": "thing", "award": "thing", "medal": "thing",
}
_ORG_NOUN = {"sons": "firm", "brothers": "firm", "inc": "company", "ltd": "company", "corporation": "company"}
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
    (("founded", "by"), "subject", "organisation"),
    (("lies", "in"), "object", "place"),
    (("located", "in"), "object", "place"),
    (("located", "in"), "subject", "place"),
    (("lies", "in"), "subject", "place"),
    (("town", "in"), "object", "place"),
    (("town", "in"), "subject", "place"),
    (("capital", "of"), "object", "place"),
)
_PERSON_ROLES = {"novelist", "poet", "author", "writer", "translator", "engineer", "inventor", "painter", "composer",
                 "actor", "actress", "singer", "scientist", "politician", "architect", "keeper", "teacher", "player"}
_PERSON_NAME = re.compile(r"^[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+){1,2}$")


def _head(name: str) -> str:
    words = name.replace(".", "").split()
    return words[-1].lower() if words else ""


def shape_kind(name: str) -> str | None:
    """The kind the name alone says, or None."""
    text = name.strip()
    low = text.lower()
    if _YEAR.match(low):
        return "time"
    first = low.split()[0] if low.split() else ""
    if _NUMBER.match(low) or first in _NUMBER_WORDS:
        return "number"
    head = _head(text)
    if head in HEAD_NOUNS and len(text.split()) > 1:
        return HEAD_NOUNS[head]
    if low.startswith("university of") or low.startswith("city of") or low.startswith("town of"):
        return "organisation" if low.startswith("university") else "place"
    return None


def head_noun(name: str, kind: str) -> str:
    """A common noun for the entity: its own head word when the name has one ("river" for the
    Skarn River), else a noun for its kind."""
    head = _head(name)
    if head in HEAD_NOUNS and len(name.split()) > 1:
        return _ORG_NOUN.get(head, head)
    if name.lower().startswith("university of"):
        return "university"
    return KIND_NOUN.get(kind, "thing")


def _words(predicate: str) -> list[str]:
    return predicate.lower().split()


def _has(words: list[str], cue: tuple[str, ...]) -> bool:
    n = len(cue)
    return any(tuple(words[i : i + n]) == cue for i in range(len(words) - n + 1))


@dataclass
class EntityKinds:
    kinds: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def of(self, entity_id: str) -> str:
        return self.kinds.get(entity_id, "thing")

    def noun(self, entity_id: str) -> str:
        return head_noun(self.names.get(entity_id, ""), self.of(entity_id))

    @classmethod
    def from_topology(cls, topo: Topology) -> EntityKinds:
        votes: dict[str, Counter[str]] = {e: Counter() for e in topo.entity_ids}
        for fid, (s, o) in topo.fact_ends.items():
            o_name = topo.entity_names.get(o, "")
            words = _words(topo.predicate(fid))
            for cue, end, kind in _CUES:
                if _has(words, cue):
                    votes.setdefault(s if end == "subject" else o, Counter())[kind] += 1
            if words[:1] == ["is"] and _head(o_name) in _PERSON_ROLES:
                votes.setdefault(s, Counter())["person"] += 2
        kinds: dict[str, str] = {}
        for eid in topo.entity_ids:
            name = topo.entity_names.get(eid, "")
            shaped = shape_kind(name)
            if shaped is not None:
                kinds[eid] = shaped
                continue
            vote = votes.get(eid) or Counter()
            if vote:
                kinds[eid] = vote.most_common(1)[0][0]
            elif _PERSON_NAME.match(name) and not name.startswith("The "):
                kinds[eid] = "person"
            else:
                kinds[eid] = "thing"
        return cls(kinds, dict(topo.entity_names))
