"""The extractor contract: passages in, one Extraction per passage out (same order)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from hippo.types import Extraction, Passage, Triple

# progress(stage, done, total): called as work advances; the CLI draws bars from it
Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    return None


class Extractor(Protocol):
    """OpenIE: named entities and subject–predicate–object triples per passage.

    A passage whose extraction fails gets ``Extraction(error=...)`` — never an empty result that
    looks like success. Extractors must not raise for one bad passage.
    """

    name: str

    def extract(self, passages: list[Passage], progress: Progress = no_progress) -> list[Extraction]: ...


def parse_triples(items: Iterable[Any]) -> tuple[list[Triple], int]:
    """The well-formed triples among ``items`` (an LLM reply's list, an OpenIE file's), in order
    and without repeats, and how many items were dropped. Well-formed: exactly three non-empty
    strings (numbers are read as text), white space collapsed."""
    triples: dict[Triple, None] = {}
    dropped = 0
    for item in items:
        parts = _triple_parts(item)
        if parts is None:
            dropped += 1
        else:
            triples.setdefault(Triple(*parts))
    return list(triples), dropped


def _triple_parts(item: Any) -> tuple[str, str, str] | None:
    if not isinstance(item, (list, tuple)) or len(item) != 3:
        return None
    parts: list[str] = []
    for value in item:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            return None
        parts.append(" ".join(value.split()))
    return parts[0], parts[1], parts[2]
