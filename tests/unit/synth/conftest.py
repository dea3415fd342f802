"""Fixtures of the synthesis tests: a memory indexed from a small corpus."""

from tests.support.synth_llm import memory

__all__ = ["memory"]
