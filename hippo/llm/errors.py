"""Errors of the LLM client (defined with the others in ``hippo.errors``). Messages name the
endpoint's base URL, never its key."""

from __future__ import annotations

from hippo.errors import LLMError, LLMJSONError, LLMNotConfigured, LLMUnavailable, excerpt

__all__ = ["LLMError", "LLMJSONError", "LLMNotConfigured", "LLMUnavailable", "excerpt"]
