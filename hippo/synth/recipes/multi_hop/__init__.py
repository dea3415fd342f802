"""Multi-hop (GraphGen): questions along two-fact chains whose ends share no fact."""

from hippo.synth.recipes.multi_hop.recipe import MultiHopRecipe

RECIPE = MultiHopRecipe()
