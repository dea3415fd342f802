"""What Hippo accepts, in one place: every interface (CLI readers, HTTP API, MCP, the Python
``Memory``) checks documents and namespaces with these functions, so what one accepts the
others accept too and the messages read alike.

A check returns the reason a value is refused (one line a person can act on), or None.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

MAX_METADATA_DEPTH = 32  # nesting levels of a document's metadata; deeper is refused, never a crash
MAX_NAMESPACE_CHARS = 64
MAX_DOC_ID_CHARS = 256
MAX_TITLE_CHARS = 1000

# Unicode letters and digits (\w is Unicode-aware), '_', '.' and '-'; no '/', no '..'
_NAMESPACE_BODY = rf"(?!.*\.\.)[\w.-]{{1,{MAX_NAMESPACE_CHARS}}}"
NAMESPACE_PATTERN = f"^{_NAMESPACE_BODY}$"  # for OpenAPI; Python checks with fullmatch ('$' allows a newline)
NAMESPACE_RULE = f"1-{MAX_NAMESPACE_CHARS} letters or digits (any script), '_', '.' or '-', without '..'"
_NAMESPACE_RE = re.compile(_NAMESPACE_BODY)


class JSONTooDeep(ValueError):
    """JSON nested deeper than the parser can follow (Python's recursion limit)."""

    def __init__(self) -> None:
        super().__init__("JSON nested too deeply to read (over ~1,000 levels of [ or {)")


def load_json(text: str) -> Any:
    """``json.loads`` whose only failures are ``json.JSONDecodeError`` and ``JSONTooDeep``:
    the C parser gives up on deep nesting with a RecursionError, which must not end a run."""
    try:
        return json.loads(text)
    except RecursionError:
        raise JSONTooDeep() from None


def json_depth(value: Any) -> int:
    """Nesting depth of a parsed JSON value (a scalar is 0, ``[]`` is 1), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, (list, tuple)):
            children = item
        else:
            deepest = max(deepest, depth)
            continue
        deepest = max(deepest, depth + 1)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def metadata_problem(metadata: Any) -> str | None:
    if not isinstance(metadata, Mapping):
        return "'metadata' must be an object"
    depth = json_depth(metadata)
    if depth > MAX_METADATA_DEPTH:
        return f"'metadata' nests {depth} levels deep; the limit is {MAX_METADATA_DEPTH}"
    return None


def namespace_problem(ns: Any) -> str | None:
    if not isinstance(ns, str) or not _NAMESPACE_RE.fullmatch(ns):
        return f"namespace {ns!r} is not valid: a namespace is {NAMESPACE_RULE}"
    return None
