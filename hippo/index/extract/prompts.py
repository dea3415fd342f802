"""Prompts for two-step LLM OpenIE: named entities first, then triples conditioned on them.

Each step is a system instruction, one worked example (user turn + assistant turn) and the real
passage. Replies are JSON objects so a JSON-mode endpoint can enforce them.
"""

from __future__ import annotations

import json

Messages = list[dict[str, str]]

NER_SYSTEM = (
    "You extract named entities from a passage for a knowledge graph. "
    "List every named entity: people, organisations, places, works, events, products, "
    "and also dates, years, quantities and other specific values the passage states. "
    "Copy each entity exactly as it is written in the passage; do not translate or invent. "
    'Answer with one JSON object: {"named_entities": [...]}.'
)

TRIPLES_SYSTEM = (
    "You turn a passage into a knowledge graph of subject-predicate-object triples. "
    "Use the named entities you are given: every triple must contain at least one of them, "
    "preferably two. Resolve pronouns and vague references (he, she, it, they, the company, "
    "the film) to the specific name they stand for. Keep predicates short verb phrases. "
    "State each fact once and only facts the passage supports. "
    'Answer with one JSON object: {"triples": [["subject", "predicate", "object"], ...]}.'
)

_EXAMPLE_PASSAGE = (
    "Kestrel Bay Lighthouse\n"
    "Kestrel Bay Lighthouse is a lighthouse on the northern coast of Tasmania. It was designed by "
    "the engineer Margaret Oduya and first lit in 1889. Since 1994 it has been managed by the "
    "Tasmanian Maritime Trust, which restored its lantern in 2011."
)

_EXAMPLE_ENTITIES = [
    "Kestrel Bay Lighthouse",
    "Tasmania",
    "Margaret Oduya",
    "1889",
    "1994",
    "Tasmanian Maritime Trust",
    "2011",
]

_EXAMPLE_TRIPLES = [
    ["Kestrel Bay Lighthouse", "is a", "lighthouse"],
    ["Kestrel Bay Lighthouse", "located on", "northern coast of Tasmania"],
    ["Kestrel Bay Lighthouse", "designed by", "Margaret Oduya"],
    ["Margaret Oduya", "is an", "engineer"],
    ["Kestrel Bay Lighthouse", "first lit in", "1889"],
    ["Tasmanian Maritime Trust", "manages", "Kestrel Bay Lighthouse"],
    ["Tasmanian Maritime Trust", "manages Kestrel Bay Lighthouse since", "1994"],
    ["Tasmanian Maritime Trust", "restored lantern of Kestrel Bay Lighthouse in", "2011"],
]


def passage_text(title: str, text: str) -> str:
    """The passage as the model sees it: title line, then text (as HippoRAG presents it)."""
    return f"{title}\n{text}" if title else text


def ner_messages(title: str, text: str) -> Messages:
    return [
        {"role": "system", "content": NER_SYSTEM},
        {"role": "user", "content": _ner_user(_EXAMPLE_PASSAGE)},
        {"role": "assistant", "content": json.dumps({"named_entities": _EXAMPLE_ENTITIES})},
        {"role": "user", "content": _ner_user(passage_text(title, text))},
    ]


def triples_messages(title: str, text: str, entities: list[str]) -> Messages:
    return [
        {"role": "system", "content": TRIPLES_SYSTEM},
        {"role": "user", "content": _triples_user(_EXAMPLE_PASSAGE, _EXAMPLE_ENTITIES)},
        {"role": "assistant", "content": json.dumps({"triples": _EXAMPLE_TRIPLES})},
        {"role": "user", "content": _triples_user(passage_text(title, text), entities)},
    ]


def _ner_user(passage: str) -> str:
    return f"Passage:\n```\n{passage}\n```\nReturn the JSON object of named entities."


def _triples_user(passage: str, entities: list[str]) -> str:
    named = json.dumps({"named_entities": entities}, ensure_ascii=False)
    return f"Passage:\n```\n{passage}\n```\nNamed entities: {named}\nReturn the JSON object of triples."
