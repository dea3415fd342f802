"""The synthesis options come from one definition: the CLI's flags and the API's request schema
carry every declared option with its default, choices and bounds, and a value is accepted or
refused the same way through either interface."""

from __future__ import annotations

import argparse
import dataclasses
from typing import Any

import pytest
from pydantic import ValidationError

from hippo.errors import UserError
from hippo.interfaces.api.routes_query import synth_options
from hippo.interfaces.api.schemas import SynthesizeIn
from hippo.interfaces.cli.synth import options_from_args, register
from hippo.synth.options import SynthOptions, option_fields
from hippo.synth.optionspec import OptionField
from hippo.synth.recipes.registry import RECIPES
from hippo.synth.recipes.wrap.options import WrapOptions

FIELDS = option_fields()


def _synth_parser() -> argparse.ArgumentParser:
    subparsers = argparse.ArgumentParser().add_subparsers()
    register(subparsers)
    parser: argparse.ArgumentParser = subparsers.choices["synth"]
    return parser


def _cli(*argv: str) -> SynthOptions:
    return options_from_args(_synth_parser().parse_args(["-o", "out.jsonl", *argv]))


def _api(body: dict[str, Any]) -> SynthOptions:
    options = synth_options(SynthesizeIn.model_validate(body))
    assert options.overwrite  # every API job writes a file of its own
    return dataclasses.replace(options, overwrite=False)


def _cli_actions() -> dict[str, argparse.Action]:
    return {a.dest: a for a in _synth_parser()._actions}


def _cli_value(f: OptionField, value: Any) -> list[str]:
    if f.kind == "bool":
        return [f.flag if value else "--no-" + f.flag[2:]]
    return [f.flag, ",".join(value) if isinstance(value, tuple) else str(value)]


def _bad_values(f: OptionField) -> list[Any]:
    spec, out = f.spec, list[Any]()
    if spec.ge is not None:
        out.append(int(spec.ge) - 1 if f.kind == "int" else spec.ge - 0.01)
    if spec.gt is not None:
        out.append(spec.gt)
    if spec.le is not None:
        out.append(int(spec.le) + 1 if f.kind == "int" else spec.le + 0.01)
    if f.choices() is not None:
        out.append(("no-such",) if f.kind == "strs" else "no-such")
    return out


def _mode_for(f: OptionField) -> dict[str, str]:
    return {"mode": f.recipe} if f.recipe else {}


def test_every_option_is_in_both_interfaces_with_its_default_and_bounds() -> None:
    cli = _cli_actions()
    api = SynthesizeIn.model_json_schema()["properties"]
    cli_only = {f.name for f in FIELDS if f.spec.interfaces == ("cli",)}
    assert cli_only == {"meta", "overwrite"}  # the API serves one JSONL per job, so it fixes both
    for f in FIELDS:
        assert f.name in cli and cli[f.name].default is argparse.SUPPRESS, f.name  # the default is the declared one
        if f.name in cli_only:
            assert f.name not in api
            continue
        prop = api[f.name]
        assert prop["default"] == (list(f.default) if isinstance(f.default, tuple) else f.default), f.name
        bounds = next(x for x in prop["anyOf"] if x.get("type") != "null") if f.optional else prop
        assert bounds.get("minimum") == f.spec.ge and bounds.get("maximum") == f.spec.le, f.name
        assert bounds.get("exclusiveMinimum") == f.spec.gt, f.name
        choices = f.choices()
        if choices is not None:
            enum = prop["items"]["enum"] if f.kind == "strs" else prop["enum"]
            assert enum == [*choices, *(["all"] if f.spec.all_word else [])], f.name
    assert set(api) == {f.name for f in FIELDS} - cli_only
    # every recipe's knobs are options of both
    for name, recipe in RECIPES.items():
        assert {f.name for f in FIELDS if f.recipe == name} == {x.name for x in dataclasses.fields(recipe.options_type)}


def test_nothing_given_is_the_declared_defaults_in_both() -> None:
    assert _cli() == _api({}) == SynthOptions() != SynthOptions(budget=999)
    assert _cli().budget == SynthesizeIn.model_fields["budget"].default == 1000  # the API once defaulted to 100


@pytest.mark.parametrize("f", [f for f in FIELDS if "api" in f.spec.interfaces], ids=lambda f: f.name)
def test_each_option_is_read_the_same_by_both(f: OptionField) -> None:
    value: Any
    if f.kind == "bool":
        value = not f.default if f.default is not None else True
    elif f.choices() is not None:
        pick = [c for c in f.choices() or () if c != "auto"]
        value = tuple(pick[:1]) if f.kind == "strs" else pick[-1]
    else:
        value = f.default + 1 if f.default is not None else 50
        if f.spec.le is not None and value > f.spec.le:
            value = f.spec.le
    if f.name == "format":
        value = "sharegpt"  # the default mode writes QA pairs
    body = {**_mode_for(f), f.name: list(value) if isinstance(value, tuple) else value}
    via_cli = _cli(*[x for k, v in _mode_for(f).items() for x in (f"--{k}", v)], *_cli_value(f, value))
    via_api = _api(body)
    assert via_cli == via_api
    owner = via_cli.recipe if f.recipe else via_cli
    assert getattr(owner, f.attr) == value


@pytest.mark.parametrize("f", [f for f in FIELDS if _bad_values(f)], ids=lambda f: f.name)
def test_each_bad_value_is_refused_by_both(f: OptionField) -> None:
    for bad in _bad_values(f):
        mode_args = [x for k, v in _mode_for(f).items() for x in (f"--{k}", v)]
        with pytest.raises(UserError) as cli_error:
            _cli(*mode_args, *_cli_value(f, bad))
        body = {**_mode_for(f), f.name: list(bad) if isinstance(bad, tuple) else bad}
        if f.choices() is not None:  # the options' own check, so the message is the CLI's
            with pytest.raises(UserError) as api_error:
                _api(body)
            assert str(api_error.value) == str(cli_error.value)
            assert str(cli_error.value).startswith(f"unknown {f.label} ")
        else:  # bounds are in the schema: FastAPI answers 422 before the route runs
            with pytest.raises(ValidationError):
                SynthesizeIn.model_validate(body)


def test_a_knob_of_another_mode_is_refused_not_ignored() -> None:
    with pytest.raises(UserError, match="wrap_interleave is an option of mode wrap, not of mode atomic"):
        _cli("--mode", "atomic", "--wrap-interleave")
    with pytest.raises(UserError, match="wrap_interleave is an option of mode wrap, not of mode atomic"):
        _api({"mode": "atomic", "wrap_interleave": True})
    assert _cli("--mode", "wrap", "--wrap-interleave").knobs(WrapOptions).wrap_interleave


def test_filters_all_and_the_old_partition_flag() -> None:
    assert _cli("--filters", "all").filters == _api({"filters": ["all"]}).filters == ("format", "faithfulness", "quality")
    assert _cli("--partition", "path2") == _cli("--partitioner", "path2") == _api({"partitioner": "path2"})
    with pytest.raises(ValidationError):
        SynthesizeIn.model_validate({"partition": "path2"})  # one name in the API: partitioner


def test_format_must_fit_what_the_mode_writes() -> None:
    with pytest.raises(UserError, match="--format text"):
        _api({"mode": "wrap", "format": "alpaca"})
    assert _cli("--mode", "wrap").fmt == "text" and _cli().fmt == "alpaca"
