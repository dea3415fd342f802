"""The recipe registry: every built-in mode is a Recipe from its own folder, and a recipe's
knobs become synthesis options (CLI flags, API fields) by being declared, with names that
cannot collide."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

import pytest

from hippo.errors import UserError
from hippo.synth.options import SynthOptions, option_fields
from hippo.synth.optionspec import RecipeOptions, option
from hippo.synth.recipes.atomic.recipe import AtomicRecipe
from hippo.synth.recipes.base import Recipe
from hippo.synth.recipes.registry import BUILT_IN, RECIPES, register


def test_every_mode_is_a_recipe_from_its_folder() -> None:
    assert list(RECIPES) == list(BUILT_IN)
    for name, recipe in RECIPES.items():
        assert isinstance(recipe, Recipe) and recipe.name == name
        assert type(recipe).__module__ == f"hippo.synth.recipes.{name}.recipe"
        assert importlib.import_module(f"hippo.synth.recipes.{name}").RECIPE is recipe
        assert recipe.output in ("qa", "text") and issubclass(recipe.options_type, RecipeOptions)


def test_register_refuses_a_second_recipe_of_one_name_and_what_is_no_recipe() -> None:
    with pytest.raises(ValueError, match="registered already"):
        register(AtomicRecipe())
    with pytest.raises(TypeError):
        register(object())  # type: ignore[arg-type]


@dataclass(frozen=True)
class _EchoOptions(RecipeOptions):
    echo_times: int = option(2, "how often", ge=1, le=9)


class _Echo(AtomicRecipe):
    name = "echo"
    options_type = _EchoOptions


@dataclass(frozen=True)
class _ClashOptions(RecipeOptions):
    budget: int = option(5, "a knob named like a shared option")


class _Clash(AtomicRecipe):
    name = "clash"
    options_type = _ClashOptions


def test_a_new_recipes_knobs_become_options(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(RECIPES, "echo", _Echo())
    knob = next(f for f in option_fields() if f.name == "echo_times")
    assert knob.recipe == "echo" and knob.default == 2 and knob.flag == "--echo-times"
    assert SynthOptions.from_values({"mode": "echo", "echo_times": 3}).knobs(_EchoOptions).echo_times == 3
    with pytest.raises(UserError, match="echo times must be at most 9"):
        SynthOptions.from_values({"mode": "echo", "echo_times": 10})
    with pytest.raises(UserError, match="echo_times is an option of mode echo"):
        SynthOptions.from_values({"echo_times": 3})


def test_knob_names_cannot_collide(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(RECIPES, "clash", _Clash())
    with pytest.raises(TypeError, match="declared twice"):
        option_fields()
