"""The bounds every interface enforces, and the checks that enforce them. One place, so the CLI,
the HTTP API, the MCP server and the Python API refuse the same input with the same message
(``UserError`` → 422, ``TooLarge`` → 413 in every interface's mapping)."""

from __future__ import annotations

from collections.abc import Sequence

from hippo.config import Settings
from hippo.errors import TooLarge, UserError
from hippo.retrieve.policies.registry import MODES
from hippo.types import Document
from hippo.validation import (
    MAX_DOC_ID_CHARS,
    MAX_NAMESPACE_CHARS,
    MAX_TITLE_CHARS,
    NAMESPACE_RULE,
    document_problem,
    namespace_problem,
)

__all__ = ["MAX_DOC_ID_CHARS", "MAX_NAMESPACE_CHARS", "MAX_TITLE_CHARS", "NAMESPACE_RULE"]
MAX_QUERY_CHARS = 2000
MAX_TOP_K = 100
MAX_NODE_ID_CHARS = 128  # an entity or passage id asked for by a subgraph read
MAX_HOPS = 3
MAX_SUBGRAPH_ENTITIES = 300  # a subgraph read stops growing here and says it was truncated
MAX_SUBGRAPH_PASSAGES = 100
MAX_DRAWING_IDS = 200  # ids a provenance drawing may name


def check_namespace(ns: str) -> str:
    problem = namespace_problem(ns)
    if problem:
        raise UserError(problem)
    return ns


def check_query(text: str, top_k: int, mode: str | None) -> None:
    if not text.strip():
        raise UserError("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise UserError(f"the query has {len(text)} characters; the limit is {MAX_QUERY_CHARS}")
    if not 1 <= top_k <= MAX_TOP_K:
        raise UserError(f"top_k must be between 1 and {MAX_TOP_K}, not {top_k}")
    if mode and mode not in MODES:
        raise UserError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")


def check_hops(hops: int) -> None:
    if not 1 <= hops <= MAX_HOPS:
        raise UserError(f"hops must be between 1 and {MAX_HOPS}, not {hops}")


def check_centre(entity: str | None, passage: str | None) -> str:
    """Exactly one centre for a subgraph read, of a sane length; returns it."""
    if bool(entity) == bool(passage):
        raise UserError("give exactly one of entity or passage")
    centre = entity or passage or ""
    if len(centre) > MAX_NODE_ID_CHARS:
        raise UserError(f"an entity or passage id has at most {MAX_NODE_ID_CHARS} characters")
    return centre


def check_each_document(documents: Sequence[Document], max_chars: int) -> None:
    """Every document's content by the one rule (``hippo.validation.document_problem``): what the
    CLI's readers skip with a warning, the Python API, the HTTP API and MCP refuse the same way."""
    for doc in documents:
        problem = document_problem(doc.id, doc.title, doc.text, doc.metadata, max_chars)
        if problem:
            error = TooLarge if problem.too_large else UserError
            raise error(f"document {doc.id[:80]!r}: {problem.message}")


def check_documents(documents: Sequence[Document], settings: Settings) -> None:
    """A batch sent to index: not too many, each valid (``check_each_document``), and no id twice
    (which of two versions wins would be an accident of order)."""
    if not documents:
        raise UserError("no documents to index")
    if len(documents) > settings.api_max_documents:
        raise TooLarge(
            f"{len(documents)} documents in one request; the limit is {settings.api_max_documents} "
            "(HIPPO_API_MAX_DOCUMENTS): send them in batches"
        )
    check_each_document(documents, settings.max_document_chars)
    seen: set[str] = set()
    for doc in documents:
        if doc.id in seen:
            raise UserError(f"document id {doc.id!r} appears more than once in the request")
        seen.add(doc.id)
