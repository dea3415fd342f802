"""SELF-QA: stand-alone questions from each passage, with rule filters counted by reason."""

from hippo.synth.recipes.selfqa.recipe import SelfQARecipe

RECIPE = SelfQARecipe()
