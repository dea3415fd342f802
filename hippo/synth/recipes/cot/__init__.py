"""Chain of thought (GraphGen): a designed reasoning path, then the answer along it (LLM only)."""

from hippo.synth.recipes.cot.recipe import CotRecipe

RECIPE = CotRecipe()
