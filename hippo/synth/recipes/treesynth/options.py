"""TreeSynth's knobs."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.synth.optionspec import RecipeOptions, option
from hippo.synth.recipes.treesynth.tree import LEVELS


@dataclass(frozen=True)
class TreeSynthOptions(RecipeOptions):
    tree_levels: tuple[str, ...] = option(LEVELS, "attributes splitting the task space, outermost first",
                                          choices=lambda: LEVELS, label="tree level", nonempty=True)
