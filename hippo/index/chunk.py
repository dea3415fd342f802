"""Chunking a document into passages of a bounded number of tokens, cut at sentence ends."""

from __future__ import annotations

import re

from hippo.text import passage_id, split_sentences
from hippo.types import Document, Passage

_TOKEN_RE = re.compile(r"\S+")


def chunk_document(doc: Document, max_tokens: int = 200, overlap: int = 30) -> list[Passage]:
    """Split a document into passages of at most ``max_tokens`` whitespace tokens, cutting at
    sentence ends where possible and repeating up to ``overlap`` tokens between neighbours."""
    text = doc.text.strip()
    tokens = _TOKEN_RE.findall(text)
    if len(tokens) <= max_tokens:
        pieces = [" ".join(text.split())] if tokens else []
    else:
        pieces = _pack_sentences(_sentences(text), max_tokens, overlap)
    return [
        Passage(id=passage_id(doc.title, piece), doc_id=doc.id, title=doc.title, text=piece, position=i)
        for i, piece in enumerate(pieces)
    ]


def _sentences(text: str) -> list[list[str]]:
    return [_TOKEN_RE.findall(sentence) for sentence in split_sentences(text)]


def _pack_sentences(sentences: list[list[str]], max_tokens: int, overlap: int) -> list[str]:
    # sentences longer than a chunk are cut into chunk-sized windows first
    units: list[list[str]] = []
    for sent in sentences:
        step = max_tokens - overlap
        if len(sent) <= max_tokens:
            units.append(sent)
        else:
            units.extend(sent[i : i + max_tokens] for i in range(0, len(sent) - overlap, step))
    chunks: list[str] = []
    current: list[list[str]] = []
    size = 0
    for unit in units:
        if current and size + len(unit) > max_tokens:
            chunks.append(" ".join(t for s in current for t in s))
            # carry trailing sentences totalling at most `overlap` tokens into the next chunk
            carried: list[list[str]] = []
            carried_size = 0
            for sent in reversed(current):
                if carried_size + len(sent) > overlap or carried_size + len(sent) + len(unit) > max_tokens:
                    break
                carried.insert(0, sent)
                carried_size += len(sent)
            current, size = carried, carried_size
        current.append(unit)
        size += len(unit)
    if current:
        chunks.append(" ".join(t for s in current for t in s))
    return chunks
