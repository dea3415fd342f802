"""TreeSynth: a task tree over graph attributes, generation at its leaves with equal quotas."""

from hippo.synth.recipes.treesynth.recipe import TreeSynthRecipe

RECIPE = TreeSynthRecipe()
