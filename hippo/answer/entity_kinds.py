"""What kind of thing a graph entity is, read from the facts that describe it.

spaCy's small NER mislabels unfamiliar names (a town called "Ostravel" comes out as ORG), but the
graph usually says what an entity is: "Ostravel is harbour town", "Maren Tolvik is novelist",
"Glass Orchard novel by Maren Tolvik", "capital is Hask", "Tolvik born in Ostravel". The head noun
of the describing phrase ("town", "novelist", "novel", "capital") or a locative predicate ("born
in", "located at") gives a kind, expressed as a representative spaCy label so it can be compared
with NER labels.
"""

from __future__ import annotations

from hippo.answer.answer_type import HEAD_NOUNS
from hippo.retrieve.snapshot import SnapshotExport
from hippo.text import normalize_phrase
from hippo.types import GraphExport

KIND_LABEL = {
    "place": "GPE", "person": "PERSON", "organization": "ORG", "date": "DATE", "number": "CARDINAL",
    "group": "NORP", "language": "LANGUAGE", "work": "WORK_OF_ART",
}
COPULAS = frozenset({"is", "was", "are", "were", "be", "been", "became", "becomes", "remains", "s"})
LOCATIVE = frozenset({"in", "at", "near", "from"})
PREPOSITIONS = frozenset({"in", "at", "near", "from", "of", "by", "for", "on", "to", "with", "into"})


def head_kind(phrase: str) -> str | None:
    """Kind of a noun phrase by its head noun: 'harbour town' → place, 'town of Pellin' → place."""
    words = phrase.split()
    if "of" in words:
        words = words[: words.index("of")]
    while words and words[-1] in PREPOSITIONS:
        words = words[:-1]
    if not words:
        return None
    found = HEAD_NOUNS.get(words[-1])
    return found[0] if found else None


def split_fact(text: str, subject: str, obj: str) -> str:
    """The predicate words of a fact text 'subject predicate object' (all normalised)."""
    text, subject, obj = normalize_phrase(text), normalize_phrase(subject), normalize_phrase(obj)
    if subject and text.startswith(subject):
        text = text[len(subject):]
    if obj and text.endswith(obj):
        text = text[: len(text) - len(obj)]
    return text.strip()


def kinds_of(row: int, facts: list[int], exp: GraphExport | SnapshotExport, entity_row: dict[str, int]) -> set[str]:
    """Representative labels of the kinds the facts give entity ``row``."""
    kinds: set[str] = set()
    name = exp.entity_names[row]
    for f in facts:
        s_row, o_row = entity_row.get(exp.fact_subjects[f], -1), entity_row.get(exp.fact_objects[f], -1)
        subject = exp.entity_names[s_row] if s_row >= 0 else ""
        obj = exp.entity_names[o_row] if o_row >= 0 else ""
        predicate = split_fact(exp.fact_texts[f], subject, obj)
        words = predicate.split()
        is_subject = s_row == row
        other = obj if is_subject else subject
        if words and words[0] in COPULAS:
            kind = head_kind(normalize_phrase(other))
        elif is_subject:
            kind = head_kind(predicate)  # "Ostravel harbour town in Veldmark", "Tolvik father of …"
        elif words and words[-1] in LOCATIVE and not any(ch.isdigit() for ch in name):
            kind = "place"  # "… born in Ostravel"
        else:
            kind = None
        if kind:
            kinds.add(KIND_LABEL[kind])
    return kinds
