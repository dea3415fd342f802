"""Fixtures of the LLM client tests: a fake OpenAI-compatible server and a client bound to it."""

from tests.support.fixtures import llm_client, openai_server

__all__ = ["llm_client", "openai_server"]
