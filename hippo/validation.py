"""What Hippo accepts, in one place: every interface (the CLI's readers, the HTTP API, the MCP
server, the Python ``Memory``) checks documents and namespaces with these functions — directly or
through ``hippo.service.limits`` — so what one accepts the others accept too, and the messages
read alike. Data indexed from the CLI is therefore reachable over HTTP and MCP.

A check returns the reason a value is refused (one line a person can act on), or None. This
module imports nothing heavy, so the readers can use it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_METADATA_DEPTH = 32  # nesting levels of a document's metadata; deeper is refused, never a crash
MAX_NAMESPACE_CHARS = 64
MAX_DOC_ID_CHARS = 256
MAX_TITLE_CHARS = 1000

# Unicode letters and digits (\w is Unicode-aware), '_', '.' and '-'; no '/', no '..'
# \w is Unicode-aware in Python: letters and digits of any script, and '_'. fullmatch, since '$'
# would also match before a final newline
_NAMESPACE_BODY = rf"[\w.-]{{1,{MAX_NAMESPACE_CHARS}}}"
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
    if isinstance(ns, str) and not unicodedata.is_normalized("NFC", ns):  # one spelling per name
        return f"namespace {ns[:80]!r} is not in Unicode NFC form; write it composed (unicodedata.normalize('NFC', name))"
    if not isinstance(ns, str) or not _NAMESPACE_RE.fullmatch(ns) or ".." in ns:
        shown = ns[:80] if isinstance(ns, str) else ns
        return f"namespace {shown!r} is not valid: a namespace is {NAMESPACE_RULE}"
    return None


@dataclass(frozen=True)
class Problem:
    """Why a document is refused; ``too_large`` marks size limits (413 over HTTP)."""

    message: str
    too_large: bool = False


def _id_problem(doc_id: str) -> str | None:
    if not doc_id.strip():
        return "the document id is empty or only whitespace"
    if len(doc_id) > MAX_DOC_ID_CHARS:
        return f"the document id has {len(doc_id)} characters; the limit is {MAX_DOC_ID_CHARS}"
    if "\x00" in doc_id:
        return "the document id contains NUL bytes"
    return None


def document_problem(doc_id: str, title: str, text: str, metadata: Any, max_chars: int) -> Problem | None:
    """The one content check of a document, wherever it comes from (a file, a request, a call)."""
    if "\x00" in text:
        return Problem("text contains NUL bytes (binary content?)")
    if not text.strip():
        return Problem("empty document (no text after whitespace)")
    if len(text) > max_chars:
        return Problem(f"document of {len(text):,} characters exceeds the limit of {max_chars:,} "
                       "(HIPPO_MAX_DOCUMENT_CHARS): split it", too_large=True)
    problem = _id_problem(doc_id)
    if problem:
        return Problem(problem)
    if len(title) > MAX_TITLE_CHARS:
        return Problem(f"the title has {len(title)} characters; the limit is {MAX_TITLE_CHARS}")
    if "\x00" in title:
        return Problem("the title contains NUL bytes")
    problem = metadata_problem(metadata)
    return Problem(problem) if problem else None
