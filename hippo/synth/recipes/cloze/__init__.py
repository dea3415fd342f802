"""Cloze (K2V-style fill-in-the-blank): an entity masked in its source sentence; multi-hop cloze
over two-fact chains."""

from hippo.synth.recipes.cloze.recipe import ClozeRecipe

RECIPE = ClozeRecipe()
