"""Sentences of an item's own passages and which entity names they mention — what the
per-passage recipes (EntiGraph, SELF-QA, WRAP) build their offline text from."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.synth.recipes.base import WorkItem
from hippo.synth.units import FactUnit
from hippo.text import normalize_phrase, split_sentences


@dataclass(frozen=True)
class Sentence:
    passage_id: str
    text: str


def own_sentences(item: WorkItem) -> list[Sentence]:
    out: list[Sentence] = []
    seen: set[str] = set()
    for p in item.passages:
        for s in split_sentences(p.text):
            if s not in seen:  # overlapping chunks repeat sentences
                seen.add(s)
                out.append(Sentence(p.id, s))
    return out


def mentions(sentence: str, name: str) -> bool:
    words = normalize_phrase(name)
    return bool(words) and f" {words} " in f" {normalize_phrase(sentence)} "


def facts_stated_in(item: WorkItem, sentence: str) -> list[FactUnit]:
    """Facts whose best supporting sentence is this one."""
    return [f for f in item.units.facts.values() if f.sentence == sentence]


def listing(names: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
