"""The recipes `hippo synth --mode` offers, read by the pipeline, the CLI and the API. Each is a
folder of this package whose ``RECIPE`` is a :class:`~hippo.synth.recipes.base.Recipe`; adding
one is adding its folder and its name below. The order is the report's section order."""

from __future__ import annotations

import importlib

from hippo.synth.recipes.base import Recipe

BUILT_IN = (
    "atomic",
    "aggregated",
    "multi_hop",
    "cot",
    "entigraph",
    "wrap",
    "treesynth",
    "deep_research",
    "selfqa",
    "longform",
    "cloze",
    "mcq",
    "true_false",
)
RECIPES: dict[str, Recipe] = {}


def register(recipe: Recipe) -> Recipe:
    """Offer ``recipe`` as ``--mode recipe.name`` (a third-party recipe may call this too)."""
    if not isinstance(recipe, Recipe):
        raise TypeError(f"{recipe!r} is not a Recipe")
    if recipe.name in RECIPES:
        raise ValueError(f"a recipe named {recipe.name!r} is registered already")
    RECIPES[recipe.name] = recipe
    return recipe


def _built_in(name: str) -> Recipe:
    recipe = importlib.import_module(f"hippo.synth.recipes.{name}").RECIPE
    if not isinstance(recipe, Recipe) or recipe.name != name:
        raise TypeError(f"hippo.synth.recipes.{name}.RECIPE must be the Recipe named {name!r}")
    return recipe


for _name in BUILT_IN:
    register(_built_in(_name))
