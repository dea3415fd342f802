"""The bounds every interface enforces, and the checks that enforce them. One place, so the CLI,
the HTTP API, the MCP server and the Python API refuse the same input with the same message
(``UserError`` → 422, ``TooLarge`` → 413 in every interface's mapping)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from hippo.config import Settings
from hippo.errors import TooLarge, UserError
from hippo.retrieve.retriever import MODES
from hippo.types import Document

NAMESPACE_PATTERN = r"^[A-Za-z0-9_.-]{1,64}$"
NAMESPACE_RE = re.compile(NAMESPACE_PATTERN)
MAX_QUERY_CHARS = 2000
MAX_TOP_K = 100
MAX_DOC_ID_CHARS = 256
MAX_TITLE_CHARS = 1000
MAX_NODE_ID_CHARS = 128  # an entity or passage id asked for by a subgraph read
MAX_HOPS = 3
MAX_SUBGRAPH_ENTITIES = 300  # a subgraph read stops growing here and says it was truncated
MAX_SUBGRAPH_PASSAGES = 100
MAX_DRAWING_IDS = 200  # ids a provenance drawing may name


def check_namespace(ns: str) -> str:
    if not NAMESPACE_RE.match(ns):
        raise UserError(f"namespace {ns[:80]!r} is not valid: namespace names are 1-64 characters of A-Z a-z 0-9 _ . -")
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


def check_documents(documents: Sequence[Document], settings: Settings) -> None:
    """A batch to index: not too many, each with an id, some text, within the size limits, and
    no id twice (which of two versions wins would be an accident of order)."""
    if not documents:
        raise UserError("no documents to index")
    if len(documents) > settings.api_max_documents:
        raise TooLarge(
            f"{len(documents)} documents in one request; the limit is {settings.api_max_documents} "
            "(HIPPO_API_MAX_DOCUMENTS): send them in batches"
        )
    seen: set[str] = set()
    for doc in documents:
        if not doc.id or len(doc.id) > MAX_DOC_ID_CHARS:
            raise UserError(f"a document id must have 1-{MAX_DOC_ID_CHARS} characters, not {len(doc.id)}")
        if len(doc.title) > MAX_TITLE_CHARS:
            raise UserError(f"document {doc.id!r} has a title of {len(doc.title)} characters; the limit is {MAX_TITLE_CHARS}")
        if not doc.text.strip():
            raise UserError(f"document {doc.id!r} has no text")
        if len(doc.text) > settings.max_document_chars:
            raise TooLarge(
                f"document {doc.id!r} has {len(doc.text)} characters; the limit is {settings.max_document_chars} "
                "(HIPPO_MAX_DOCUMENT_CHARS): split it"
            )
        if doc.id in seen:
            raise UserError(f"document id {doc.id!r} appears more than once in the request")
        seen.add(doc.id)
