"""EntiGraph's knobs."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.synth.optionspec import RecipeOptions, option


@dataclass(frozen=True)
class EntiGraphOptions(RecipeOptions):
    entigraph_pairs: int = option(12, "entity pairs sampled per document", ge=0, le=1000)
    entigraph_triples: int = option(4, "entity triples sampled per document", ge=0, le=1000)
