"""EntiGraph: continued-pretraining text relating sampled entity pairs and triples per document."""

from hippo.synth.recipes.entigraph.recipe import EntiGraphRecipe

RECIPE = EntiGraphRecipe()
