"""Self-containedness: a training question must make sense without the passage it came from
(SELF-QA's rule): no "this passage", "the text above", "according to the context", and no
question that opens with a pronoun pointing at nothing."""

from __future__ import annotations

import re

_REFERS_TO_SOURCE = re.compile(
    r"\b(?:the|this|that|these|those|above|following|given|provided)\s+"
    r"(?:passage|passages|text|texts|paragraph|article|document|excerpt|context|story|table|graph|facts?)\b"
    r"|\b(?:based on|according to|from|in)\s+the\s+(?:above|passage|text|context|document|information given)\b"
    r"|\bmentioned (?:above|earlier|before)\b|\bthe above\b",
    re.IGNORECASE,
)
_DANGLING_START = re.compile(r"^\s*(?:it|he|she|they|them|his|her|its|their|this|these|those)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(?:he|she|it|they|him|her|his|its|their|them)\b", re.IGNORECASE)
_NAME = re.compile(r"\b[A-Z][\w'-]*")
_DANGLING_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those)\s+(?:person|people|entity|entities|one|ones|event|place)\b", re.IGNORECASE)


# the instruction before a statement the record shows (cloze, true/false): the statement after
# it is what must stand alone
_INSTRUCTION = re.compile(r"^\s*(?:fill in the blank|true or false)\s*:\s*", re.IGNORECASE)
# a definite description with no name ("The film stars …", "The venue has been …") or a
# demonstrative ("This led to …"): the statement's subject is in the sentence before
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those)\b", re.IGNORECASE)  # "Prior to this, Govan worked …"
_UNNAMED_START = re.compile(r"^\s*(?:(?i:the|this|these|those|that|such)\s+[a-z]|(?i:this|these|those|that)\b)")


def statement_problem(statement: str) -> str | None:
    """A sentence shown as a claim or a blank stands alone only when it names what it is about:
    no third-person pronoun or demonstrative anywhere ("… empties into it via the Sunderland
    Channel", "Prior to this, …") and no opening that points back ("The film stars …")."""
    # (a demonstrative anywhere covers ``_DANGLING_DEMONSTRATIVE``'s "this person" too)
    if (_PRONOUN.search(statement) or _UNNAMED_START.search(statement) or _DANGLING_START.search(statement)
            or _DEMONSTRATIVE.search(statement)):
        return "dangling_reference"
    return None


def self_containedness_problem(question: str, answer: str) -> str | None:
    """A rejection reason, or None when the pair stands alone."""
    if not question.strip() or not answer.strip():
        return "empty"
    if _REFERS_TO_SOURCE.search(question) or _REFERS_TO_SOURCE.search(answer):
        return "refers_to_source"
    instruction = _INSTRUCTION.match(question)
    if instruction:
        return statement_problem(question[instruction.end():])
    if _DANGLING_START.search(question) or _DANGLING_DEMONSTRATIVE.search(question):
        return "dangling_reference"
    # a pronoun with no name anywhere before it to point at ("Where was he born?")
    pronoun = _PRONOUN.search(question)
    if pronoun and not _NAME.search(question[: pronoun.start()].split(" ", 1)[-1] if " " in question[: pronoun.start()] else ""):
        return "dangling_reference"
    return None
