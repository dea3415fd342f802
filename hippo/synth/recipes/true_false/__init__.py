"""True/false: a fact's source sentence, or its negation by a swapped same-kind object."""

from hippo.synth.recipes.true_false.recipe import TrueFalseRecipe

RECIPE = TrueFalseRecipe()
