"""Every knob of a synthesis run, validated once."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.errors import UserError
from hippo.synth.formats import FORMATS
from hippo.synth.generators import RECIPES
from hippo.synth.partition import PARTITIONERS


@dataclass(frozen=True)
class SynthOptions:
    mode: str = "atomic"
    partitioner: str = "khop"
    budget: int = 1000
    fmt: str = "alpaca"
    meta: bool = True  # False: records without "meta", metas in the sidecar <stem>.meta.jsonl
    seed: int = 0
    generator: str = "auto"  # auto (LLM when a synthesiser is configured) | template | llm
    judge: bool | None = None  # LLM grounding judge; None = on whenever the LLM generator runs
    score: bool | None = None  # blind-spot scoring; None = when a trainee endpoint is configured
    rescore: bool = False  # score units again even when losses are stored
    max_depth: int = 2
    max_units: int = 10
    max_tokens: int = 1024
    near_duplicate: float = 0.95
    embedding_dedupe: bool = True  # False: exact-text dedupe only (no embedding model load)
    n_paraphrases: int = 2
    n_negations: int = 2
    top_logprobs: int = 10
    overwrite: bool = False

    def __post_init__(self) -> None:
        if self.mode not in RECIPES:
            raise UserError(f"unknown mode {self.mode!r}; choose one of {', '.join(sorted(RECIPES))}")
        if self.partitioner not in PARTITIONERS:
            raise UserError(f"unknown partitioner {self.partitioner!r}; choose one of {', '.join(sorted(PARTITIONERS))}")
        if self.fmt not in FORMATS:
            raise UserError(f"unknown format {self.fmt!r}; choose one of {', '.join(FORMATS)}")
        if self.generator not in ("auto", "template", "llm"):
            raise UserError("generator must be auto, template or llm")
        if self.budget < 1:
            raise UserError("--budget must be at least 1")
        if self.max_units < 2 or self.max_depth < 1 or self.max_tokens < 8:
            raise UserError("max units must be >= 2, max depth >= 1, max tokens >= 8")
        if not 0.0 < self.near_duplicate <= 1.0:
            raise UserError("the near-duplicate threshold must be in (0, 1]")
