"""Deep research: one question along a long walk whose intermediate entities are described, not named."""

from hippo.synth.recipes.deep_research.recipe import DeepResearchRecipe

RECIPE = DeepResearchRecipe()
