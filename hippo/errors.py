"""Errors a user should see as one clear line (the CLI prints them without a traceback)."""

from __future__ import annotations


class UserError(Exception):
    """A mistake or an unavailable resource the user can fix: bad path, empty corpus, unknown store
    URI, unreachable server. The message is shown as is."""
