"""Multiple choice: a one-fact question with distractors of the answer's kind from the graph."""

from hippo.synth.recipes.mcq.recipe import McqRecipe

RECIPE = McqRecipe()
