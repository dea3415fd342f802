"""One folder per synthesis recipe, each holding its generator (the Recipe subclass in
``recipe.py``), and where it has them its planner, options and report section; the contract is
:mod:`hippo.synth.recipes.base`, the list :mod:`hippo.synth.recipes.registry`."""
