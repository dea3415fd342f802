"""Recipes (synthesis modes); importing this package registers the built-in ones."""

from hippo.synth.generators import aggregated, atomic, cot, multi_hop  # noqa: F401  (registration)
from hippo.synth.generators import deep_research, entigraph, longform, selfqa, treesynth, wrap  # noqa: F401
from hippo.synth.generators.base import RECIPES, GenerationFailed, Recipe, WorkItem

__all__ = ["RECIPES", "GenerationFailed", "Recipe", "WorkItem"]
