"""Matching gold passages to corpus entries, robustly.

HippoRAG compares exact ``title\\ntext`` strings, which silently drops a gold passage whenever the
question file and the corpus differ in spacing or Unicode form. Here a gold passage is resolved to
a corpus document in decreasing order of strictness, and a gold that matches nothing is counted,
never ignored.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from hippo.bench.datasets import CorpusEntry, Question
from hippo.text import normalize_passage

# how a gold passage was resolved, strictest first
MATCH_LEVELS = ("exact", "compact", "text_only", "title_prefix")


def compact(text: str) -> str:
    """Case-, space- and punctuation-blind form: 'Ed  Wood (film).' and 'ed wood(film)' agree."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LMN")


@dataclass
class GoldTarget:
    """What a question's retrieval is scored against: one key per gold item.

    In passage mode a key is a document id; in title mode it is a compact title, and any
    retrieved document carrying that title is a hit.
    """

    keys: list[str]
    mode: str
    unmatched: list[str] = field(default_factory=list)  # titles of golds found nowhere in the corpus
    levels: Counter[str] = field(default_factory=Counter)


class GoldIndex:
    """Lookups from normalised gold forms to corpus documents."""

    def __init__(self, corpus: list[CorpusEntry]) -> None:
        self._exact: dict[tuple[str, str], str] = {}
        self._compact: dict[tuple[str, str], str] = {}
        self._text: dict[str, str] = {}
        self._by_title: dict[str, list[CorpusEntry]] = {}
        self.title_of: dict[str, str] = {}  # doc id -> compact title
        for entry in corpus:
            title_key = compact(entry.title)
            self.title_of[entry.doc_id] = title_key
            self._exact.setdefault((normalize_passage(entry.title), normalize_passage(entry.text)), entry.doc_id)
            self._compact.setdefault((title_key, compact(entry.text)), entry.doc_id)
            self._text.setdefault(compact(entry.text), entry.doc_id)
            self._by_title.setdefault(title_key, []).append(entry)

    def resolve_passage(self, title: str, text: str) -> tuple[str | None, str | None]:
        """(doc id, match level) of a gold passage, or (None, None)."""
        doc = self._exact.get((normalize_passage(title), normalize_passage(text)))
        if doc:
            return doc, "exact"
        title_key, text_key = compact(title), compact(text)
        doc = self._compact.get((title_key, text_key))
        if doc:
            return doc, "compact"
        doc = self._text.get(text_key) if text_key else None
        if doc:
            return doc, "text_only"
        # one side truncated (e.g. a gold holding only the first sentences): same title, and
        # one text a prefix of the other
        if text_key:
            for entry in self._by_title.get(title_key, []):
                entry_key = compact(entry.text)
                if entry_key.startswith(text_key) or text_key.startswith(entry_key):
                    return entry.doc_id, "title_prefix"
        return None, None

    def has_title(self, title: str) -> bool:
        return compact(title) in self._by_title

    def target(self, question: Question) -> GoldTarget:
        # a gold with no text can only be matched by its title, so such a question is scored by title
        by_title = question.gold_match == "title" or any(g.text is None for g in question.gold)
        target = GoldTarget(keys=[], mode="title" if by_title else "passage")
        for gold in question.gold:
            if by_title:
                key = compact(gold.title)
                if not self.has_title(gold.title):
                    target.unmatched.append(gold.title)
                    continue
                target.levels["title"] += 1
            else:
                doc, level = self.resolve_passage(gold.title, gold.text or "")
                if doc is None or level is None:
                    target.unmatched.append(gold.title)
                    continue
                key = doc
                target.levels[level] += 1
            if key not in target.keys:
                target.keys.append(key)
        return target

    def ranked_keys(self, doc_ids: list[str], mode: str) -> list[str]:
        """A ranking of documents seen the way a target of ``mode`` scores it."""
        if mode == "passage":
            return doc_ids
        return [self.title_of.get(d, "") for d in doc_ids]
