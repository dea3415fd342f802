"""Atomic (GraphGen): one question per fact."""

from hippo.synth.recipes.atomic.recipe import AtomicRecipe

RECIPE = AtomicRecipe()
