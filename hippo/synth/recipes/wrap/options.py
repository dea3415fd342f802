"""WRAP's knobs and the styles it rephrases in."""

from __future__ import annotations

from dataclasses import dataclass

from hippo.synth.optionspec import RecipeOptions, option

STYLES = {
    "easy": "in very simple language a young child could follow, using short sentences",
    "wikipedia": "as a neutral, well-structured encyclopedia paragraph in the style of Wikipedia",
    "hard": "in terse, dense, academic language with precise vocabulary",
    "qa": "as a series of questions and answers, each question naming what it asks about, formatted as "
    "'Question: ...' and 'Answer: ...' lines",
}
OFFLINE_STYLES = ("qa",)


@dataclass(frozen=True)
class WrapOptions(RecipeOptions):
    wrap_styles: tuple[str, ...] = option(tuple(STYLES), "styles each segment is rephrased in",
                                          choices=lambda: tuple(STYLES), label="wrap style", nonempty=True)
    wrap_interleave: bool = option(False, "one style per segment plus the original segment, real:synthetic 1:1")
    wrap_segment_tokens: int = option(300, "at most this many (estimated) tokens per segment", ge=16, le=100_000)
