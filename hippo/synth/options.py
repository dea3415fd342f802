"""Every knob of a synthesis run, validated once."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.errors import UserError
from hippo.synth.formats import ALL_FORMATS, QA_FORMATS, TEXT_FORMAT
from hippo.synth.generators import RECIPES
from hippo.synth.partition import PARTITIONERS

SCORE_LOOKAHEAD = 4
SCORE_MIN_UNITS = 10


@dataclass(frozen=True)
class SynthOptions:
    mode: str = "atomic"
    partitioner: str = "khop"
    budget: int = 1000
    fmt: str = "auto"  # auto: alpaca for QA recipes, text for corpus recipes (entigraph, wrap)
    meta: bool = True  # False: records without "meta", metas in the sidecar <stem>.meta.jsonl
    seed: int = 0
    generator: str = "auto"  # auto (LLM when a synthesiser is configured) | template | llm
    judge: bool | None = None  # LLM grounding judge; None = on whenever the LLM generator runs
    score: bool | None = None  # blind-spot scoring; None = when a trainee endpoint is configured
    rescore: bool = False  # score units again even when losses are stored
    # units blind-spot scoring may judge in one run; None = what the budget can use: a look-ahead of
    # SCORE_LOOKAHEAD candidate seed units per pair (at least SCORE_MIN_UNITS), never every unit
    score_units: int | None = None
    max_depth: int = 2
    max_units: int = 10
    max_tokens: int = 1024
    near_duplicate: float = 0.95
    embedding_dedupe: bool = True  # False: exact-text dedupe only (no embedding model load)
    n_paraphrases: int = 2
    n_negations: int = 2
    top_logprobs: int = 10
    overwrite: bool = False
    # Genie-style filters applied to every record: any of format, faithfulness, quality
    # (scorers and thresholds come from Settings.synth_*)
    filters: tuple[str, ...] = ()
    token_budget: int | None = None  # at most this many estimated tokens of generated text
    # EntiGraph: sampled entity pairs and triples per document
    entigraph_pairs: int = 12
    entigraph_triples: int = 4
    # WRAP: the styles each segment is rephrased in; interleave real segments 1:1
    wrap_styles: tuple[str, ...] = ("easy", "wikipedia", "hard", "qa")
    wrap_interleave: bool = False
    wrap_segment_tokens: int = 300
    # deep research: walk length in facts (the ends must be exactly that far apart in the graph)
    walk_hops: int = 3
    walks_per_start: int = 2
    # TreeSynth: the attributes that split the task space, outermost first
    tree_levels: tuple[str, ...] = ("entity_type", "relation", "community")

    def __post_init__(self) -> None:
        if self.mode not in RECIPES:
            raise UserError(f"unknown mode {self.mode!r}; choose one of {', '.join(sorted(RECIPES))}")
        writes_text = getattr(RECIPES[self.mode], "output", "qa") == "text"
        if self.fmt == "auto":
            object.__setattr__(self, "fmt", TEXT_FORMAT if writes_text else "alpaca")
        elif writes_text and self.fmt != TEXT_FORMAT:
            raise UserError(f"mode {self.mode} writes corpus text: use --format text (or leave --format out)")
        elif not writes_text and self.fmt not in QA_FORMATS:
            raise UserError(f"mode {self.mode} writes QA pairs: use --format {'|'.join(QA_FORMATS)}")
        from hippo.synth.scorers import FILTERS  # late: scorers import generators

        unknown = [f for f in self.filters if f not in FILTERS]
        if unknown:
            raise UserError(f"unknown filter {unknown[0]!r}; choose from {', '.join(FILTERS)}")
        if self.token_budget is not None and self.token_budget < 1:
            raise UserError("--token-budget must be at least 1")
        if self.walk_hops < 2 or self.walks_per_start < 1:
            raise UserError("deep-research walks need at least 2 hops and 1 walk per start")
        if self.wrap_segment_tokens < 16:
            raise UserError("WRAP segments must allow at least 16 tokens")
        from hippo.synth.generators.wrap import STYLES
        from hippo.synth.treesynth_tree import LEVELS

        if not self.wrap_styles or any(st not in STYLES for st in self.wrap_styles):
            raise UserError(f"wrap styles must be some of {', '.join(STYLES)}")

        bad = [lv for lv in self.tree_levels if lv not in LEVELS]
        if bad or not self.tree_levels:
            raise UserError(f"tree levels must be some of {', '.join(LEVELS)}")
        if self.partitioner not in PARTITIONERS:
            raise UserError(f"unknown partitioner {self.partitioner!r}; choose one of {', '.join(sorted(PARTITIONERS))}")
        if self.fmt not in ALL_FORMATS:
            raise UserError(f"unknown format {self.fmt!r}; choose one of {', '.join(ALL_FORMATS)}")
        if self.generator not in ("auto", "template", "llm"):
            raise UserError("generator must be auto, template or llm")
        if self.score_units is not None and self.score_units < 1:
            raise UserError("--score-units must be at least 1")
        if self.budget < 1:
            raise UserError("--budget must be at least 1")
        if self.max_units < 2 or self.max_depth < 1 or self.max_tokens < 8:
            raise UserError("max units must be >= 2, max depth >= 1, max tokens >= 8")
        if not 0.0 < self.near_duplicate <= 1.0:
            raise UserError("the near-duplicate threshold must be in (0, 1]")
