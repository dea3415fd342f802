"""Reading JSON out of LLM replies: code fences, prose around the JSON, trailing commas,
Python-style literals and replies cut off by a token limit.

A truncated reply is repaired by cutting back to the last complete element and closing the open
containers — never by keeping a half-written element (a partial entity name is worse than none).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hippo.llm.errors import LLMJSONError
from hippo.safe_ast import literal_eval

_FENCE_RE = re.compile(r"```[A-Za-z0-9_-]*[ \t]*\n?(.*?)(?:```|\Z)", re.DOTALL)
_MAX_CUTS = 400  # bounds the repair work on a pathological reply
_MAX_STARTS = 4  # how many '{' / '[' in surrounding prose we try as the start of the JSON


def parse_json_reply(text: str) -> Any:
    """The JSON value in an LLM reply, repaired if needed; raises LLMJSONError otherwise."""
    if not text or not text.strip():
        raise LLMJSONError("empty reply", text or "")
    body = _strip_fences(text.strip())
    try:
        return json.loads(body, strict=False)
    except ValueError:
        pass
    # the scan ignores what is inside strings, so it runs on the reply as sent: a fence marker
    # inside a JSON string ({"a": "```"}) must not cut the value where the fence pattern did
    body = text.strip()
    reason = "no JSON object or array in reply"
    position = 0
    for _ in range(_MAX_STARTS):
        start = _next_opening(body, position)
        if start is None:
            break
        scan = _scan(body, start)
        try:
            if scan.end is None:  # runs to the end of the reply: truncated, nothing after it
                return _repair_truncated(body, start, scan)
            return _loads_lenient(body[start : scan.end])
        except _NoValue as exc:
            reason = str(exc)
            if scan.end is None:
                break
            position = scan.end  # prose in braces before the JSON: look after it
    raise LLMJSONError(reason, text)


def _next_opening(text: str, position: int) -> int | None:
    hits = [i for i in (text.find("{", position), text.find("[", position)) if i >= 0]
    return min(hits) if hits else None


class _NoValue(Exception):
    pass


def _strip_fences(text: str) -> str:
    match = _FENCE_RE.search(text)
    if match and match.group(1).strip():
        return match.group(1).strip()
    return text


@dataclass
class _Scan:
    """Structure of the text from a start position, ignoring everything inside strings."""

    end: int | None  # index just past the top-level value's closing bracket, if it closes
    cuts: list[tuple[int, str]]  # (cut position, closers needed there) — safe places to truncate
    limit: int  # cuts beyond this would keep a partial record (an open container inside an array)


def _scan(text: str, start: int) -> _Scan:
    # stack entries: (closing bracket, position of the opening bracket, parent is an array)
    stack: list[tuple[str, int, bool]] = []
    cuts: list[tuple[int, str]] = []
    in_string = escaped = False
    for i in range(start, len(text)):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
                cuts.append((i + 1, _closers(stack)))  # after a complete string
        elif ch == '"':
            in_string = True
        elif ch in "{[":
            parent_is_array = bool(stack) and stack[-1][0] == "]"
            stack.append(("}" if ch == "{" else "]", i, parent_is_array))
            cuts.append((i + 1, _closers(stack)))  # an empty container is complete
        elif ch in "}]":
            if not stack:
                return _Scan(i, cuts, len(text))
            stack.pop()
            if not stack:
                return _Scan(i + 1, cuts, len(text))
            cuts.append((i + 1, _closers(stack)))
        elif ch == ",":
            cuts.append((i, _closers(stack)))  # everything before the comma is complete
    # Truncated. An open container that is an element of an array (a triple, a record) is a
    # partial element: drop it whole rather than keep half of it. Open containers that are
    # values of keys keep their complete elements.
    limit = next((pos for _, pos, in_array in stack if in_array), len(text))
    return _Scan(None, cuts, limit)


def _closers(stack: list[tuple[str, int, bool]]) -> str:
    return "".join(closer for closer, _, _ in reversed(stack))


def _repair_truncated(text: str, start: int, scan: _Scan) -> Any:
    """Cut back to the latest position where the prefix plus closers parses; the last element of
    a truncated reply may be partial, so a cut that keeps it is tried only when it is a
    finished string or container."""
    tried = 0
    for cut, closers in reversed(scan.cuts):
        if cut > scan.limit:
            continue
        if tried >= _MAX_CUTS:
            break
        tried += 1
        candidate = text[start:cut].rstrip().rstrip(",") + closers
        try:
            value = _loads_lenient(candidate)
        except _NoValue:
            continue
        if not _has_leaf(value):
            raise _NoValue("truncated reply with no complete element")
        return value
    raise _NoValue("truncated JSON that cannot be repaired")


_TRAILING_COMMA_RE = re.compile(r",(\s*[}\]])")


def _loads_lenient(candidate: str) -> Any:
    try:
        return json.loads(candidate, strict=False)
    except ValueError:
        pass
    cleaned = _drop_trailing_commas(candidate)
    try:
        return json.loads(cleaned, strict=False)
    except ValueError:
        pass
    # some models answer with Python literals ('single quotes', True, None): read them safely
    try:
        return _plain(literal_eval(cleaned))
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        raise _NoValue("unreadable JSON") from None


def _drop_trailing_commas(text: str) -> str:
    out: list[str] = []
    in_string = escaped = False
    i = 0
    while i < len(text):
        ch = text[i]
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch == ",":
            match = _TRAILING_COMMA_RE.match(text, i)
            if match:
                i += 1
                continue
        out.append(ch)
        i += 1
    return "".join(out)


def _plain(value: Any) -> Any:
    """A Python literal turned into JSON-like data (tuples become lists, sets are refused)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise ValueError(f"not JSON-like: {type(value).__name__}")


def _has_leaf(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_has_leaf(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_leaf(v) for v in value)
    return True


class ObjectEnd:
    """Watches a reply arrive piece by piece and says where its top-level JSON value ends, so a
    streamed JSON reply can be closed there (a grammar-constrained model may pad a finished object
    with whitespace up to max_tokens). Only a reply that starts with the value — after whitespace
    and an optional code-fence line — is watched; a reply that opens with prose is read to its end,
    since a brace in prose is not the answer's."""

    def __init__(self) -> None:
        self._depth = 0
        self._in_string = self._escaped = False
        self._lead = ""  # what came before the value: whitespace and at most a ``` line
        self._state = "lead"  # lead -> value -> done, or off (not a reply we can watch)

    @property
    def done(self) -> bool:
        return self._state == "done"

    def feed(self, piece: str) -> int | None:
        """The index in ``piece`` just past the top-level value's closing bracket, once it closes."""
        for i, ch in enumerate(piece):
            if self._state == "value":
                if self._value_char(ch):
                    self._state = "done"
                    return i + 1
            elif self._state == "lead":
                self._lead_char(ch)
            else:
                return None
        return None

    def _lead_char(self, ch: str) -> None:
        lead = self._lead.lstrip()
        if lead.startswith("```"):  # inside the fence line: skip it whole
            self._lead = "" if ch == "\n" else self._lead + ch
        elif ch in "{[" and not lead:
            self._state = "value"
            self._depth = 1
        elif ch.isspace() and not lead or "```".startswith(lead + ch):
            self._lead += ch
        else:
            self._state = "off"

    def _value_char(self, ch: str) -> bool:
        if self._in_string:
            if self._escaped:
                self._escaped = False
            elif ch == "\\":
                self._escaped = True
            elif ch == '"':
                self._in_string = False
        elif ch == '"':
            self._in_string = True
        elif ch in "{[":
            self._depth += 1
        elif ch in "}]":
            self._depth -= 1
            return self._depth == 0
        return False
