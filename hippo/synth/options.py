"""Every knob of a synthesis run, declared and validated once. The options every mode shares are
the fields below; a recipe's own knobs are its ``options_type`` (``recipe``). The CLI flags and
the API request schema are generated from :func:`option_fields`, and both build a run through
:meth:`SynthOptions.from_values`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from hippo.errors import UserError
from hippo.synth.formats import ALL_FORMATS, QA_FORMATS, TEXT_FORMAT
from hippo.synth.optionspec import OptionField, RecipeOptions, check, fields_of, option, validate
from hippo.synth.partition import PARTITIONERS
from hippo.synth.recipes.registry import RECIPES
from hippo.synth.scorers import FILTERS

GENERATORS = ("auto", "template", "llm")
MAX_BUDGET = 1_000_000
MAX_SEED = 2**31 - 1
K = TypeVar("K", bound=RecipeOptions)
SCORE_LOOKAHEAD = 4
SCORE_MIN_UNITS = 10


@dataclass(frozen=True)
class SynthOptions:
    mode: str = option("atomic", "what to generate", choices=lambda: sorted(RECIPES))
    partitioner: str = option("khop", "subgraph partitioner (subgraph modes)", choices=lambda: sorted(PARTITIONERS),
                              aliases=("--partition",))
    budget: int = option(1000, "at most this many records in the output", ge=1, le=MAX_BUDGET)
    fmt: str = option("auto", "record format; auto: alpaca for QA modes, text for corpus modes (entigraph, wrap)",
                      choices=lambda: ("auto", *ALL_FORMATS), public="format")
    meta: bool = option(True, "records carry 'meta'; without, metas go to <stem>.meta.jsonl",
                        interfaces=("cli",))  # the API serves the one JSONL, not a sidecar
    seed: int = option(0, "seed of sampling and partitioning", ge=0, le=MAX_SEED)
    generator: str = option("auto", "template = offline, no LLM; auto = LLM when a synthesiser is configured",
                            choices=lambda: GENERATORS)
    judge: bool | None = option(None, "LLM grounding judge (default: on with the LLM generator)")
    score: bool | None = option(None, "blind-spot scoring with the trainee (default: when a trainee is configured)")
    rescore: bool = option(False, "score units again even when losses are stored")
    # None = what the budget can use: a look-ahead of SCORE_LOOKAHEAD candidate seed units per pair
    # (at least SCORE_MIN_UNITS), never every unit
    score_units: int | None = option(None, "blind-spot scoring judges at most this many units per run (default: "
                                     f"{SCORE_LOOKAHEAD} per pair of the budget, at least {SCORE_MIN_UNITS}); the "
                                     "planned number of LLM calls is printed before scoring starts", ge=1)
    max_depth: int = option(2, "k of k-hop expansion", ge=1, le=5)
    max_units: int = option(10, "entities + facts per subgraph", ge=2, le=100)
    max_tokens: int = option(1024, "token budget of one subgraph's text", ge=8, le=16_384)
    near_duplicate: float = option(0.95, "embedding cosine at which a record is a near duplicate", gt=0.0, le=1.0)
    embedding_dedupe: bool = option(True, "near-duplicate check by embeddings (off: exact text only, no model load)")
    n_paraphrases: int = option(2, "blind-spot scoring: paraphrases per unit statement", ge=0, le=10)
    n_negations: int = option(2, "blind-spot scoring: negations per unit statement", ge=0, le=10)
    top_logprobs: int = option(10, "blind-spot scoring: log-probabilities asked of the trainee", ge=1, le=20)
    overwrite: bool = option(False, "start afresh instead of resuming into the output file",
                             interfaces=("cli",))  # every API job writes its own file
    # Genie-style filters applied to every record (scorers and thresholds come from Settings.synth_*)
    filters: tuple[str, ...] = option((), "Genie-style filters: format, faithfulness, quality (or all)",
                                      choices=lambda: FILTERS, label="filter", all_word=True)
    round_trip: bool | None = option(None, "keep a pair only when its question retrieves a cited passage and the "
                                     "offline reader reads its answer key back (default: on with the template generator)")
    round_trip_k: int = option(5, "round trip: the cited passage must be in this many top hits", ge=1, le=50)
    token_budget: int | None = option(None, "at most this many (estimated) tokens of generated text", ge=1)
    # the mode's own knobs; a bare RecipeOptions() stands for the mode's defaults
    recipe: RecipeOptions = field(default_factory=RecipeOptions)

    def __post_init__(self) -> None:
        check(_COMMON_BY_ATTR["mode"], self.mode)
        recipe = RECIPES[self.mode]
        if type(self.recipe) is RecipeOptions and recipe.options_type is not RecipeOptions:
            object.__setattr__(self, "recipe", recipe.options_type())
        elif not isinstance(self.recipe, recipe.options_type):
            raise UserError(f"mode {self.mode} takes {recipe.options_type.__name__}, not {type(self.recipe).__name__}")
        writes_text = recipe.output == "text"
        if self.fmt == "auto":
            object.__setattr__(self, "fmt", TEXT_FORMAT if writes_text else "alpaca")
        elif writes_text and self.fmt != TEXT_FORMAT:
            raise UserError(f"mode {self.mode} writes corpus text: use --format text (or leave --format out)")
        elif not writes_text and self.fmt in ALL_FORMATS and self.fmt not in QA_FORMATS:
            raise UserError(f"mode {self.mode} writes QA pairs: use --format {'|'.join(QA_FORMATS)}")
        validate(self, COMMON_FIELDS)

    def knobs(self, cls: type[K]) -> K:
        """The mode's own options, as the recipe's type."""
        if not isinstance(self.recipe, cls):
            raise TypeError(f"mode {self.mode} has {type(self.recipe).__name__}, not {cls.__name__}")
        return self.recipe

    @classmethod
    def from_values(cls, values: Mapping[str, Any]) -> SynthOptions:
        """Options from public names (the CLI's flags, the API's fields): what is not given takes
        its default; a knob of another mode than the run's is refused, not ignored."""
        by_name = {f.name: f for f in option_fields()}
        unknown = sorted(set(values) - set(by_name))
        if unknown:
            raise UserError(f"unknown synthesis option {unknown[0]!r}")
        mode_field = by_name["mode"]
        mode = values.get("mode", mode_field.default)
        check(mode_field, mode)
        common: dict[str, Any] = {}
        knobs: dict[str, Any] = {}
        for name, raw in values.items():
            f = by_name[name]
            if f.recipe is None:
                common[f.attr] = f.parse(raw)
            elif f.recipe == mode:
                knobs[f.attr] = f.parse(raw)
            else:
                raise UserError(f"{f.name} is an option of mode {f.recipe}, not of mode {mode}")
        return cls(**common, recipe=RECIPES[mode].options_type(**knobs))


COMMON_FIELDS = fields_of(SynthOptions)
_COMMON_BY_ATTR = {f.attr: f for f in COMMON_FIELDS}


def option_fields() -> list[OptionField]:
    """Every synthesis option: the shared ones, then each recipe's knobs in registry order."""
    out = list(COMMON_FIELDS)
    seen = {f.name for f in out}
    for name, recipe in RECIPES.items():
        for f in fields_of(recipe.options_type, recipe=name):
            if f.name in seen:
                raise TypeError(f"option {f.name!r} of recipe {name} is declared twice")
            seen.add(f.name)
            out.append(f)
    return out
