"""How a synthesis option is declared, once: its default (the dataclass field's), help text,
choices and bounds. The CLI's flags (:mod:`hippo.interfaces.cli.synth`) and the API's request
schema (:mod:`hippo.interfaces.api.schemas`) are generated from these declarations, and values
from either interface are checked by the same :func:`validate`, so the two cannot disagree."""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from hippo.errors import UserError

Interface = Literal["cli", "api"]
Kind = Literal["bool", "int", "float", "str", "strs"]
Choices = Callable[[], Sequence[str]]  # called late: the registries fill after import
BOTH: tuple[Interface, ...] = ("cli", "api")


@dataclass(frozen=True)
class OptionSpec:
    help: str
    choices: Choices | None = None
    ge: float | None = None  # value >= ge
    gt: float | None = None  # value > gt
    le: float | None = None  # value <= le
    label: str = ""  # how messages name it ("filter"); default: the public name with spaces
    public: str = ""  # the name in the CLI and the API when the attribute's differs ("format")
    aliases: tuple[str, ...] = ()  # older CLI flags still accepted ("--partition")
    all_word: bool = False  # a list option where "all" stands for every choice
    nonempty: bool = False  # a list option that needs at least one value
    interfaces: tuple[Interface, ...] = BOTH  # where it is exposed; the rest use the default


def option(
    default: Any,
    help: str,
    *,
    choices: Choices | None = None,
    ge: float | None = None,
    gt: float | None = None,
    le: float | None = None,
    label: str = "",
    public: str = "",
    aliases: tuple[str, ...] = (),
    all_word: bool = False,
    nonempty: bool = False,
    interfaces: tuple[Interface, ...] = BOTH,
) -> Any:
    """A dataclass field that is a synthesis option (the default stays the field's default)."""
    spec = OptionSpec(help, choices, ge, gt, le, label, public, aliases, all_word, nonempty, interfaces)
    return dataclasses.field(default=default, metadata={"option": spec})


@dataclass(frozen=True)
class OptionField:
    """One declared option as the interfaces see it."""

    attr: str  # the dataclass attribute
    kind: Kind
    optional: bool  # None is a value (meaning "decide from what is configured")
    default: Any
    spec: OptionSpec
    recipe: str | None = None  # the mode whose knob this is; None: every mode's

    @property
    def name(self) -> str:
        """The public name: the API field, and the CLI flag with dashes."""
        return self.spec.public or self.attr

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def label(self) -> str:
        return self.spec.label or self.name.replace("_", " ")

    def choices(self) -> tuple[str, ...] | None:
        return tuple(self.spec.choices()) if self.spec.choices is not None else None

    def parse(self, value: Any) -> Any:
        """A value from an interface in the attribute's type: a list option takes a sequence or a
        comma-separated string ("all" for every choice where the option allows it)."""
        if self.kind != "strs" or value is None:
            return value
        items = value.split(",") if isinstance(value, str) else list(value)
        out = tuple(str(x).strip() for x in items if str(x).strip())
        if self.spec.all_word and "all" in out:
            return self.choices() or ()
        return out


def _kind(hint: Any) -> tuple[Kind, bool]:
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    optional = typing.get_origin(hint) in (typing.Union, types.UnionType) and len(args) == 1
    base = args[0] if optional else hint
    if base is bool:
        return "bool", optional
    if base is int:
        return "int", optional
    if base is float:
        return "float", optional
    if base is str:
        return "str", optional
    if typing.get_origin(base) is tuple and typing.get_args(base)[:1] == (str,):
        return "strs", optional
    raise TypeError(f"an option must be bool, int, float, str or tuple[str, ...], not {hint!r}")


def fields_of(cls: type[Any], recipe: str | None = None) -> list[OptionField]:
    """The options a dataclass declares, in declaration order."""
    hints = typing.get_type_hints(cls)
    out: list[OptionField] = []
    for f in dataclasses.fields(cls):
        spec = f.metadata.get("option")
        if spec is None:
            continue
        kind, optional = _kind(hints[f.name])
        out.append(OptionField(f.name, kind, optional, f.default, spec, recipe))
    return out


def _number(value: Any, kind: Kind) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (kind == "float" and isinstance(value, float))


def check(field: OptionField, value: Any) -> None:
    """Raise a one-line UserError when ``value`` is not allowed for ``field``."""
    spec, label = field.spec, field.label
    if value is None:
        if field.optional:
            return
        raise UserError(f"{label} needs a value")
    if field.kind == "bool":
        if not isinstance(value, bool):
            raise UserError(f"{label} must be true or false")
        return
    if field.kind in ("int", "float"):
        if not _number(value, field.kind):
            raise UserError(f"{label} must be {'an integer' if field.kind == 'int' else 'a number'}")
        if spec.ge is not None and value < spec.ge:
            raise UserError(f"{label} must be at least {spec.ge:g}")
        if spec.gt is not None and value <= spec.gt:
            raise UserError(f"{label} must be more than {spec.gt:g}")
        if spec.le is not None and value > spec.le:
            raise UserError(f"{label} must be at most {spec.le:g}")
        return
    values = (value,) if field.kind == "str" else value
    if field.kind == "strs" and not (isinstance(value, tuple) and all(isinstance(v, str) for v in value)):
        raise UserError(f"{label} must be a list of names")
    if field.kind == "str" and not isinstance(value, str):
        raise UserError(f"{label} must be a name")
    if spec.nonempty and not values:
        raise UserError(f"{label} needs at least one value")
    choices = field.choices()
    if choices is not None:
        for v in values:
            if v not in choices:
                raise UserError(f"unknown {label} {v!r}; choose one of {', '.join(choices)}")


def validate(obj: Any, fields: Sequence[OptionField]) -> None:
    for field in fields:
        check(field, getattr(obj, field.attr))


@dataclass(frozen=True)
class RecipeOptions:
    """A recipe's own knobs (a frozen dataclass of :func:`option` fields; none by default).
    Field names are public and unique across recipes: they are the CLI flags, the API fields
    and the keys a resumed run must match."""

    def __post_init__(self) -> None:
        validate(self, fields_of(type(self)))
