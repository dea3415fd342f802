"""Entity candidates and triples for text the English spaCy pipeline cannot read: Chinese,
Japanese, Korean, Arabic, Cyrillic and the other non-Latin scripts.

The English pipeline turns a Japanese passage into one "entity" (its whole text) and no triples,
so the graph modes have nothing to link a query to. Here, without a model or a download:

- words of spaced scripts (Cyrillic, Arabic, Hangul, Greek, Hebrew, Devanagari, Latin words inside
  such text), less the stop words spaCy ships for those languages (and, for Korean, a trailing
  particle: 서울은 -> 서울);
- for Han characters, which have no spaces, a run of 2-4 whole and character bigrams, less the
  common function characters; Katakana runs (names, loanwords) whole; Hiragana separates;
- triples from each non-overlapping candidate of a sentence to the one after next, with the text
  between them as the predicate, so the fact index has statements in the passage's own words.

Only passages whose letters are mostly non-Latin take this path (``mostly_non_latin``), so the
extraction of English text — and every benchmark index built from it — is unchanged.
"""

from __future__ import annotations

import functools
import importlib
import re
import unicodedata
from dataclasses import dataclass

from hippo.text import entity_key
from hippo.types import Triple

# the languages whose stop words are dropped from spaced-script words (spaCy ships the lists)
STOP_WORD_LANGUAGES = ("en", "ru", "uk", "bg", "sr", "ar", "fa", "ur", "el", "he", "hi", "ko")
# Han characters that are grammar rather than names (的 of, 是 is, 在 at, 和 and, …)
HAN_FUNCTION_CHARS = frozenset("的是了在和与及也有为这那个之于而其被把从到对以就不所或并且但由向将已")
MAX_WHOLE_HAN_RUN = 4
KOREAN_PARTICLES = ("은", "는", "이", "가", "을", "를", "의", "에", "로", "와", "과", "도", "에서", "으로")
PUNCTUATION = " ,、，،;；:：-–—()（）「」『』\"'"
SENTENCE_END = re.compile(r"[。！？!?؟.\n]+")
WORD = re.compile(r"[\w\u0300-\u036f\u064b-\u065f\u0670]+(?:[-‐'’][\w]+)*")


def script_of(ch: str) -> str:
    """The script of a letter, from its Unicode name: LATIN, CYRILLIC, ARABIC, CJK, HIRAGANA, …"""
    try:
        first = unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return "UNKNOWN"
    return "CJK" if first in ("CJK", "IDEOGRAPHIC") else first


def mostly_non_latin(text: str) -> bool:
    """More than half of the letters are outside the Latin script."""
    letters = [ch for ch in text if ch.isalpha()]
    if not letters:
        return False
    latin = sum(1 for ch in letters if script_of(ch) == "LATIN")
    return latin * 2 < len(letters)


@functools.lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    words: set[str] = set()
    for lang in STOP_WORD_LANGUAGES:
        try:
            words |= importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS
        except ImportError:  # pragma: no cover - every listed language ships with spaCy
            continue
    return frozenset(w.casefold() for w in words)


@dataclass(frozen=True)
class Candidate:
    text: str
    start: int
    end: int


def _han_candidates(run: str, offset: int) -> list[Candidate]:
    """A short run whole (浅草寺, 隅田川: names are often 2-4 characters), then its bigrams."""
    whole = [Candidate(run, offset, offset + len(run))] if 2 <= len(run) <= MAX_WHOLE_HAN_RUN else []
    if len(run) <= 2:
        return whole
    return whole + [
        Candidate(run[i : i + 2], offset + i, offset + i + 2)
        for i in range(len(run) - 1)
        if not (run[i] in HAN_FUNCTION_CHARS or run[i + 1] in HAN_FUNCTION_CHARS)
    ]


def _split_runs(word: str) -> list[tuple[str, str, int]]:
    """(script, run, offset) for each stretch of one script inside a word."""
    runs: list[tuple[str, str, int]] = []
    for i, ch in enumerate(word):
        script = script_of(ch) if ch.isalpha() else (runs[-1][0] if runs else "COMMON")
        if runs and runs[-1][0] == script:
            runs[-1] = (script, runs[-1][1] + ch, runs[-1][2])
        else:
            runs.append((script, ch, i))
    return runs


def _word_candidate(word: str, start: int) -> Candidate | None:
    stop = _stop_words()
    if word.casefold() in stop:
        return None
    if script_of(word[0]) == "HANGUL":
        for particle in sorted(KOREAN_PARTICLES, key=len, reverse=True):
            if word.endswith(particle) and len(word) - len(particle) >= 2:
                word = word[: -len(particle)]
                break
    if sum(ch.isalnum() for ch in word) < 2 or not any(ch.isalpha() for ch in word) or word.casefold() in stop:
        return None
    return Candidate(word, start, start + len(word))


def candidates(sentence: str) -> list[Candidate]:
    """Entity candidates of one sentence, in text order (Han bigrams may overlap)."""
    out: list[Candidate] = []
    for match in WORD.finditer(sentence):
        word, base = match.group(), match.start()
        runs = _split_runs(word)
        if len(runs) == 1 and runs[0][0] not in ("CJK", "HIRAGANA", "KATAKANA"):
            found = _word_candidate(word, base)
            out.extend([found] if found else [])
            continue
        for script, run, offset in runs:
            if script == "CJK":
                out.extend(_han_candidates(run, base + offset))
            elif script == "KATAKANA" and len(run) >= 2:
                out.append(Candidate(run, base + offset, base + offset + len(run)))
            elif script not in ("HIRAGANA", "KATAKANA", "COMMON"):
                found = _word_candidate(run, base + offset)
                out.extend([found] if found else [])
    return out


def _chain(found: list[Candidate]) -> list[Candidate]:
    """Successive candidates that do not overlap, first come first kept."""
    chain: list[Candidate] = []
    for cand in found:
        if not chain or cand.start >= chain[-1].end:
            chain.append(cand)
    return chain


def extract(text: str, title: str = "") -> tuple[list[str], list[Triple]]:
    """Entities (deduplicated by identity, in text order) and triples of a non-Latin passage."""
    entities: list[str] = []
    seen: set[str] = set()
    triples: list[Triple] = []

    def add(name: str) -> None:
        key = entity_key(name)
        if key and key not in seen:
            seen.add(key)
            entities.append(name)

    if title.strip():
        add(title.strip())
    for sentence in SENTENCE_END.split(text):
        found = candidates(sentence)
        for cand in found:
            add(cand.text)
        chain = _chain(found)
        # each candidate to the one after next, with the words between (the middle candidate
        # among them) as the predicate: every stretch of the sentence becomes a statement
        pairs = zip(chain, chain[2:], strict=False) if len(chain) > 2 else zip(chain, chain[1:], strict=False)
        for left, right in pairs:
            between = sentence[left.end : right.start].strip(PUNCTUATION)
            if between:  # two adjacent pieces of one Han run state nothing
                triples.append(Triple(left.text, between, right.text))
    return entities, triples


def query_candidates(text: str) -> list[str]:
    """Entity phrases of a non-Latin question (HippoRAG 1 query linking)."""
    return extract(text)[0]
