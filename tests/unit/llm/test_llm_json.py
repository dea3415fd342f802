"""Reading JSON out of LLM replies: fences, prose, trailing commas, truncation."""

from __future__ import annotations

from typing import Any

import pytest

from hippo.llm.client import LLMJSONError, parse_json_reply


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        ('{"named_entities": ["A", "B"]}', {"named_entities": ["A", "B"]}),
        ('```json\n{"a": 1}\n```', {"a": 1}),
        ('Here you go:\n```\n[1, 2]\n```\nDone.', [1, 2]),
        ('The JSON is {"a": "b"} as requested.', {"a": "b"}),
        ('{"a": [1, 2,], "b": {"c": 3,},}', {"a": [1, 2], "b": {"c": 3}}),
        ('{"x": "keeps, commas ] and } inside strings",}', {"x": "keeps, commas ] and } inside strings"}),
        ('{"q": "escaped \\"quote\\", then"}', {"q": 'escaped "quote", then'}),
        ("{'a': ('x', None), 'b': True}", {"a": ["x", None], "b": True}),
        ('note {not json} then {"k": [1]}', {"k": [1]}),
        ('{"text": "line one\nline two"}', {"text": "line one\nline two"}),
        ('{"名前": ["東京", "Zürich"]}', {"名前": ["東京", "Zürich"]}),
    ],
)
def test_readable_replies(reply: str, expected: Any) -> None:
    assert parse_json_reply(reply) == expected


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        # a half-written string is dropped, the complete ones kept
        ('{"named_entities": ["Ada", "Lond', {"named_entities": ["Ada"]}),
        # a half-written triple is dropped whole, not kept with two elements
        ('{"triples": [["a", "b", "c"], ["d", "e"', {"triples": [["a", "b", "c"]]}),
        ('{"triples": [["a", "b", "c"], ["d", "e", "f"]', {"triples": [["a", "b", "c"], ["d", "e", "f"]]}),
        ('{"a": 1, "b"', {"a": 1}),
        ('{"a": 1, "b": ', {"a": 1}),
        ("[1, 2, 3", [1, 2]),  # the last number may be cut short
        ('```json\n{"e": ["x", "y"]', {"e": ["x", "y"]}),
        ('[{"s": 1}, {"s": 2, "t": [1', [{"s": 1}]),
    ],
)
def test_truncated_replies_are_cut_back_to_complete_elements(reply: str, expected: Any) -> None:
    assert parse_json_reply(reply) == expected


@pytest.mark.parametrize(
    "reply",
    ["", "   ", "I cannot do that.", '{"named_entities": [', '{"a": "unfinished', '[["a", "b', "{bad} {worse}"],
)
def test_nothing_sensible_raises_with_excerpt(reply: str) -> None:
    with pytest.raises(LLMJSONError) as info:
        parse_json_reply(reply)
    assert info.value.excerpt == " ".join(reply.split())


def test_excerpt_is_short() -> None:
    with pytest.raises(LLMJSONError) as info:
        parse_json_reply("no json here " * 200)
    assert len(info.value.excerpt) <= 160


def test_valid_empty_containers_are_not_errors() -> None:
    assert parse_json_reply('{"named_entities": []}') == {"named_entities": []}
