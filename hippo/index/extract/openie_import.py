"""Importing existing OpenIE files in HippoRAG's formats, so users re-use extractions they already
paid for instead of extracting again.

- v1 (HippoRAG 1): ``{"docs": [{"passage": "title\\ntext" or "text", "extracted_entities": ...,
  "extracted_triples": ...}]}`` — entities and triples either JSON lists or Python-literal strings
  (read with ``ast.literal_eval``, never ``eval``); some files also carry ``title`` and ``text``.
- v2 (HippoRAG 2): ``{"docs": [{"idx": ..., "passage": ..., "extracted_entities": [...],
  "extracted_triples": [...]}]}``.

Passages are matched by normalised text (``title\\ntext``, or the text alone). A passage that is a
chunk of a longer passage in the file (Hippo chunked it, HippoRAG did not) takes that passage's
triples whose subject and object both occur in the chunk. A triple of the wrong arity is dropped
and counted (``strict=True`` fails the passage instead); an entry whose lists cannot be read at all
fails its passage with the reason.
"""

from __future__ import annotations

import json
import logging
import os
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from hippo.errors import UserError
from hippo.index.extract.base import Extractor, Progress, no_progress, parse_triples
from hippo.safe_ast import literal_eval
from hippo.text import normalize_passage, normalize_phrase
from hippo.types import Extraction, Passage, Triple

log = logging.getLogger(__name__)

NOT_IN_FILE = "not in OpenIE file"


@dataclass
class OpenIEEntry:
    """One passage of the file: its entities and triples, or why they cannot be used."""

    passage: str  # normalised passage text as the file gives it
    title: str  # normalised title if the file names one ("" otherwise)
    entities: list[str] = field(default_factory=list)
    triples: list[Triple] = field(default_factory=list)
    dropped_triples: int = 0  # triples of the wrong arity or with empty parts
    error: str | None = None


@dataclass
class OpenIEFile:
    path: str
    entries: list[OpenIEEntry]
    by_text: dict[str, OpenIEEntry]
    duplicates: int = 0

    @property
    def dropped_triples(self) -> int:
        return sum(e.dropped_triples for e in self.entries)


def load_openie(path: str, strict: bool = False) -> OpenIEFile:
    """Read an OpenIE file (v1 or v2). Raises UserError when the file itself is unusable."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as exc:
        raise UserError(f"cannot read OpenIE file {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise UserError(f"OpenIE file {path} is not JSON: {exc}") from None
    docs = data.get("docs") if isinstance(data, dict) else data
    if not isinstance(docs, list):
        raise UserError(f"OpenIE file {path} has no 'docs' list (expected HippoRAG's OpenIE format)")
    entries: list[OpenIEEntry] = []
    by_text: dict[str, OpenIEEntry] = {}
    duplicates = 0
    for position, doc in enumerate(docs):
        entry = _read_entry(doc, position, strict)
        if entry is None:
            continue
        entries.append(entry)
        for key in _keys_of(doc, entry):
            if key in by_text and by_text[key] is not entry:
                duplicates += 1
                continue  # the first occurrence wins, as a re-index of the same text would
            by_text[key] = entry
    if not entries:
        raise UserError(f"OpenIE file {path} has no passages")
    return OpenIEFile(path=path, entries=entries, by_text=by_text, duplicates=duplicates)


class ImportedExtractor:
    """An extractor that reads its results from an OpenIE file instead of computing them."""

    def __init__(self, path: str, fallback: Extractor | None = None, *, strict: bool = False) -> None:
        self.path = path
        self.name = f"openie:{os.path.basename(path)}"
        self.fallback = fallback
        self.file = load_openie(path, strict=strict)
        self._by_title: dict[str, list[OpenIEEntry]] = defaultdict(list)
        for entry in self.file.entries:
            self._by_title[entry.title].append(entry)
        if self.file.dropped_triples:
            log.warning("%s: %d triples of the wrong shape dropped", self.name, self.file.dropped_triples)

    def extract(self, passages: list[Passage], progress: Progress = no_progress) -> list[Extraction]:
        total = len(passages)
        progress("extract", 0, total)
        results: list[Extraction | None] = []
        missing: list[int] = []
        for i, passage in enumerate(passages):
            found = self.lookup(passage)
            if found is None:
                missing.append(i)
            results.append(found)
        progress("extract", total - len(missing), total)
        if missing:
            filled = self._fill_missing([passages[i] for i in missing], progress)
            for i, extraction in zip(missing, filled, strict=True):
                results[i] = extraction
        progress("extract", total, total)
        return [r if r is not None else Extraction(p.id, error=NOT_IN_FILE) for r, p in zip(results, passages, strict=True)]

    def lookup(self, passage: Passage) -> Extraction | None:
        """The file's extraction for a passage, or None when the file does not have it."""
        text = normalize_passage(passage.text)
        for key in (normalize_passage(f"{passage.title}\n{passage.text}"), text):
            entry = self.file.by_text.get(key)
            if entry is not None:
                return _extraction(passage.id, entry)
        parent = self._containing(normalize_passage(passage.title), text)
        if parent is not None:
            return _chunk_extraction(passage, parent)
        return None

    def _containing(self, title: str, text: str) -> OpenIEEntry | None:
        """The file passage a chunk was cut from: same title where the file names titles."""
        if len(text) < 20:
            return None  # a tiny chunk would match anywhere
        for entry in self._by_title.get(title, []):
            if text in entry.passage:
                return entry
        # the file's title may be missing or guessed wrongly: any passage that contains the chunk
        return next((entry for entry in self.file.entries if text in entry.passage), None)

    def _fill_missing(self, passages: list[Passage], progress: Progress) -> list[Extraction]:
        if self.fallback is None:
            return [Extraction(p.id, error=NOT_IN_FILE) for p in passages]
        log.info("%s: %d passages not in the file, extracting them with %s",
                 self.name, len(passages), self.fallback.name)
        return self.fallback.extract(passages, progress)


# --- reading entries -------------------------------------------------------------------------


def _read_entry(doc: Any, position: int, strict: bool) -> OpenIEEntry | None:
    if not isinstance(doc, dict):
        log.warning("OpenIE entry %d is not an object; skipped", position)
        return None
    passage = doc.get("passage")
    if not isinstance(passage, str):
        title, text = doc.get("title"), doc.get("text")
        if not isinstance(text, str):
            log.warning("OpenIE entry %d has no passage text; skipped", position)
            return None
        passage = f"{title}\n{text}" if isinstance(title, str) and title else text
    title = doc.get("title")
    if not isinstance(title, str):  # v2 and most v1 files: the first line of "title\ntext"
        title = passage.split("\n", 1)[0] if "\n" in passage else ""
    entry = OpenIEEntry(passage=normalize_passage(passage), title=normalize_passage(str(title)))
    try:
        entry.entities = _entities(doc.get("extracted_entities", []))
        entry.triples, entry.dropped_triples = _triples(doc.get("extracted_triples", []))
    except ValueError as exc:
        entry.error = f"malformed OpenIE entry {position}: {exc}"
        return entry
    if strict and entry.dropped_triples:
        entry.error = f"malformed OpenIE entry {position}: {entry.dropped_triples} triples of the wrong arity"
    return entry


def _keys_of(doc: dict[str, Any], entry: OpenIEEntry) -> list[str]:
    keys = [entry.passage]
    title, text = doc.get("title"), doc.get("text")
    if isinstance(text, str):
        if isinstance(title, str) and title:
            keys.append(normalize_passage(f"{title}\n{text}"))
        keys.append(normalize_passage(text))
    return list(dict.fromkeys(keys))


def _literal(value: Any, what: str) -> list[Any]:
    if isinstance(value, str):
        try:
            value = literal_eval(value) if value.strip() else []
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise ValueError(f"{what} is not a readable list literal: {value[:80]!r}") from None
    if isinstance(value, tuple):
        value = list(value)
    if not isinstance(value, list):
        raise ValueError(f"{what} is a {type(value).__name__}, not a list")
    return value


def _entities(value: Any) -> list[str]:
    names: list[str] = []
    for item in _literal(value, "extracted_entities"):
        if isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)
        if isinstance(item, str) and item.strip():
            names.append(" ".join(item.split()))
    return list(dict.fromkeys(names))


def _triples(value: Any) -> tuple[list[Triple], int]:
    return parse_triples(_literal(value, "extracted_triples"))


def _extraction(passage_id: str, entry: OpenIEEntry) -> Extraction:
    if entry.error:
        return Extraction(passage_id, error=entry.error)
    return Extraction(passage_id, entities=list(entry.entities), triples=list(entry.triples))


def _chunk_extraction(passage: Passage, parent: OpenIEEntry) -> Extraction:
    """A chunk's share of its parent passage: the entities and triples that occur in it."""
    if parent.error:
        return Extraction(passage.id, error=parent.error)
    haystack = f" {normalize_phrase(passage.title + ' ' + passage.text)} "

    def occurs(phrase: str) -> bool:
        key = normalize_phrase(phrase)
        return bool(key) and f" {key} " in haystack

    return Extraction(
        passage.id,
        entities=[e for e in parent.entities if occurs(e)],
        triples=[t for t in parent.triples if occurs(t.subject) and occurs(t.object)],
    )
