"""Errors of the LLM client. Messages name the endpoint's base URL, never its key."""

from __future__ import annotations

from hippo.errors import UserError


class LLMError(RuntimeError):
    """A request to the LLM failed after retries (rate limits, server errors, bad replies)."""


class LLMUnavailable(LLMError, UserError):
    """The endpoint is not configured or cannot be reached. Also a UserError: the CLI shows it as
    one line, because the fix (start the server, set HIPPO_LLM_BASE_URL) is the user's."""


class LLMJSONError(LLMError):
    """No sensible JSON could be read from a reply. ``excerpt`` is a short quote of the reply."""

    def __init__(self, reason: str, text: str) -> None:
        self.reason = reason
        self.excerpt = excerpt(text)
        super().__init__(f"{reason}: {self.excerpt!r}")


def excerpt(text: str, limit: int = 160) -> str:
    """The text on one line, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
