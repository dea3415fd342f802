"""Aggregated (GraphGen): the whole subgraph as one answer, and its question (LLM only)."""

from hippo.synth.recipes.aggregated.recipe import AggregatedRecipe

RECIPE = AggregatedRecipe()
