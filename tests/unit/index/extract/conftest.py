"""Fixtures of the extractor tests: a fake OpenAI-compatible server for the LLM extractor."""

from tests.support.fixtures import openai_server

__all__ = ["openai_server"]
