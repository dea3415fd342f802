"""WRAP: segments rephrased in easy, Wikipedia-like, hard and Q&A styles, as corpus text."""

from hippo.synth.recipes.wrap.recipe import WrapRecipe

RECIPE = WrapRecipe()
