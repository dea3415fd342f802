"""LongForm: the instruction each human-written passage answers (reverse instructions)."""

from hippo.synth.recipes.longform.recipe import LongFormRecipe

RECIPE = LongFormRecipe()
