"""Recipes (synthesis modes); importing this package registers the built-in ones."""

from hippo.synth.generators import (  # noqa: F401  (registration)  # noqa: F401
    aggregated,
    atomic,
    cot,
    deep_research,
    entigraph,
    longform,
    multi_hop,
    selfqa,
    treesynth,
    wrap,
)
from hippo.synth.generators.base import RECIPES, GenerationFailed, Recipe, WorkItem

__all__ = ["RECIPES", "GenerationFailed", "Recipe", "WorkItem"]
