"""Fuzzing the LLM-reply parser: any text either yields a JSON value or raises LLMJSONError —
never another exception, never a hang."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from hippo.llm.client import parse_json_reply
from hippo.llm.errors import LLMJSONError

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=15,
)
noise = st.text(alphabet=st.sampled_from(list('{}[]",:\'` \n\\abc123.-eTtrufnl#')), max_size=80)


def outcome(text: str) -> Any:
    try:
        value = parse_json_reply(text)
    except LLMJSONError as exc:
        assert str(exc) and "\n" not in exc.excerpt
        return LLMJSONError
    json.dumps(value)  # whatever comes back is plain JSON data
    return value


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=300) | noise)
def test_any_text(text: str) -> None:
    outcome(text)


@settings(max_examples=200, deadline=None)
@given(value=json_values.filter(lambda v: isinstance(v, (dict, list))), before=st.text(max_size=30),
       after=st.text(max_size=30), fence=st.booleans())
def test_json_in_prose_and_fences_is_found(value: Any, before: str, after: str, fence: bool) -> None:
    body = json.dumps(value)
    text = f"```json\n{body}\n```" if fence else body
    assert outcome(text) == value
    outcome(f"{before}\n{text}\n{after}")


@settings(max_examples=200, deadline=None)
@given(value=json_values.filter(lambda v: isinstance(v, (dict, list))), cut=st.floats(0, 1))
def test_truncated_replies(value: Any, cut: float) -> None:
    body = json.dumps(value)
    outcome(body[: int(len(body) * cut)])
