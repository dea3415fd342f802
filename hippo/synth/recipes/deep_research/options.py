"""Deep research's knobs."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.synth.optionspec import RecipeOptions, option


@dataclass(frozen=True)
class DeepResearchOptions(RecipeOptions):
    # the walk's ends must be exactly that many facts apart in the graph
    walk_hops: int = option(3, "facts per walk", ge=2, le=8)
    walks_per_start: int = option(2, "walks from one start entity", ge=1, le=100)
