"""Unicode-aware phrase normalisation, stable content-hash ids, and the one sentence splitter.

HippoRAG lowercases and drops every character outside [A-Za-z0-9 ], which erases non-English
text. Here: NFKC, casefold, punctuation and symbols become spaces, whitespace collapses — letters
and digits of every script survive.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_SPACE_RE = re.compile(r"\s+")
# a sentence ends at . ! ? or the full-width 。！？ followed by white space, or at a blank line
_SENTENCE_END_RE = re.compile(r"(?<=[.!?。！？])\s+|\n\s*\n")


def normalize_phrase(text: str) -> str:
    """Canonical form of a phrase for identity: 'The  Beatles!' -> 'the beatles'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    chars = []
    for ch in text:
        cat = unicodedata.category(ch)
        # keep letters, marks (combining accents, Indic vowel signs) and numbers of any script
        chars.append(ch if cat[0] in "LMN" else " ")
    return _SPACE_RE.sub(" ", "".join(chars)).strip()


def normalize_passage(text: str) -> str:
    """Canonical form of a passage for identity and gold matching: NFKC + collapsed spaces."""
    return _SPACE_RE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def stable_id(kind: str, text: str) -> str:
    """A short, stable id: '<kind>-' + 32 hex chars of sha256 over the text."""
    return f"{kind}-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}"


def entity_key(name: str) -> str:
    """What decides entity identity: the normalised phrase without a leading "the", so a title
    written "The Glass Orchard" in one passage and "Glass Orchard" in the next is one node."""
    norm = normalize_phrase(name)
    rest = norm.removeprefix("the ")
    return rest if rest and rest != norm else norm


def entity_id(name: str) -> str:
    return stable_id("ent", entity_key(name))


def passage_id(title: str, text: str) -> str:
    return stable_id("psg", normalize_passage(title) + "\n" + normalize_passage(text))


def fact_id(subject_id: str, predicate: str, object_id: str) -> str:
    return stable_id("fact", f"{subject_id}\t{normalize_phrase(predicate)}\t{object_id}")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def alnum_count(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum())


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, stripped, none empty. The chunker packs passages from these, so
    this decides chunk boundaries: change it and every index is rebuilt differently."""
    return [part.strip() for part in _SENTENCE_END_RE.split(text) if part.strip()]
