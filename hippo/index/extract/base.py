"""The extractor contract: passages in, one Extraction per passage out (same order)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from hippo.types import Extraction, Passage

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
