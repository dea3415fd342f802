"""Every error Hippo means a person to read has one root, ``HippoError``, and each class says how
every interface shows it: an HTTP status, a short ``kind`` for programs, and the one-line
message. The CLI (exit 1 and ``hippo: error: …``), the API (status and ``{"detail", "kind"}``),
the MCP server (a tool error) and job records all go through ``describe``/``status_of``/
``kind_of`` here, so one failure reads the same everywhere.

    HippoError
    ├── UserError            422  input or a resource the user can fix (bad path, unknown URI)
    │   ├── ConfigError      422  a setting has a value Hippo cannot use
    │   ├── TooLarge         413  over a size limit
    │   └── NotFound         404  no such document, entity, passage or job
    ├── Forbidden            403  the caller's key may not use the namespace
    └── Unavailable          503  try again later (the response carries Retry-After)
        ├── NamespaceBusy    503  a writing job holds the namespace
        ├── StoreError       503  the store failed (drivers' errors are wrapped inside hippo/store/)
        │   └── CypherFileMissing  a Cypher statement is not installed
        └── LLMError         503  the LLM failed after retries
            ├── LLMUnavailable     unreachable, or (LLMNotConfigured, 422) not configured
            └── LLMJSONError       no usable JSON in a reply

Anything else is a bug: interfaces answer "internal error" and log the traceback.
"""

from __future__ import annotations

from typing import ClassVar

INTERNAL_STATUS = 500
INTERNAL_KIND = "internal"


class HippoError(Exception):
    """The root. Subclasses set ``status`` and ``kind``; ``prefix`` goes before the message."""

    status: ClassVar[int] = INTERNAL_STATUS
    kind: ClassVar[str] = "error"
    prefix: ClassVar[str] = ""

    def describe(self) -> str:
        return f"{self.prefix}{self}"


class UserError(HippoError):
    """A mistake or an unavailable resource the user can fix: bad path, empty corpus, unknown store
    URI, a value out of bounds. The message is shown as is."""

    status = 422
    kind = "invalid_input"


class ConfigError(UserError):
    """A setting has a value Hippo cannot use."""

    kind = "invalid_setting"


class TooLarge(UserError):
    """A request or document is over a size limit; the message names the limit and the setting."""

    status = 413
    kind = "too_large"


class NotFound(UserError):
    """The thing asked for does not exist (in this namespace)."""

    status = 404
    kind = "not_found"


class Forbidden(HippoError):
    """The caller's key is valid but may not use this namespace."""

    status = 403
    kind = "forbidden"


class Unavailable(HippoError):
    """Something Hippo needs is not usable right now; trying again later may work."""

    status = 503
    kind = "unavailable"


class NamespaceBusy(Unavailable):
    """A namespace lock could not be taken in time (a long job is writing it)."""

    kind = "busy"

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        super().__init__(f"namespace {namespace} is busy with a writing job; try again shortly")


class StoreError(Unavailable):
    """A store failed in a way the user should see as one line (unreachable, bad credentials…).
    Backends raise it for every failure of their driver, so nothing above ``hippo.store`` sees a
    driver's exception."""

    kind = "store_unavailable"
    prefix = "store unavailable: "


class CypherFileMissing(StoreError):
    """A named statement is not where the package expects it (a broken checkout or install)."""


class LLMError(Unavailable):
    """A request to the LLM failed after retries (rate limits, server errors, bad replies)."""

    kind = "llm_unavailable"
    prefix = "LLM unavailable: "


class LLMUnavailable(LLMError):
    """The endpoint is not configured or cannot be reached (the fix — start the server, set
    HIPPO_LLM_BASE_URL — is the user's)."""


class LLMNotConfigured(LLMUnavailable):
    """No endpoint is set at all. Asking again will not help until the settings change, so a
    request that needs one is refused (422), not answered "try again later" (503)."""

    status = 422
    kind = "llm_not_configured"
    prefix = ""


class LLMJSONError(LLMError):
    """No sensible JSON could be read from a reply. ``excerpt`` is a short quote of the reply."""

    kind = "llm_bad_reply"
    prefix = "LLM reply not usable: "

    def __init__(self, reason: str, text: str) -> None:
        self.reason = reason
        self.excerpt = excerpt(text)
        super().__init__(f"{reason}: {self.excerpt!r}")


def excerpt(text: str, limit: int = 160) -> str:
    """The text on one line, at most ``limit`` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


# --- the one mapping every interface uses -------------------------------------------------------
def describe(exc: BaseException) -> str:
    """The one line a person sees for this failure; never a traceback, never a secret."""
    if isinstance(exc, HippoError):
        return exc.describe()
    return f"internal error ({type(exc).__name__}); see the server log"


def status_of(exc: BaseException) -> int:
    return exc.status if isinstance(exc, HippoError) else INTERNAL_STATUS


def kind_of(exc: BaseException) -> str:
    return exc.kind if isinstance(exc, HippoError) else INTERNAL_KIND


def is_internal(exc: BaseException) -> bool:
    """A bug rather than a failure the user can act on: log it with its traceback."""
    return not isinstance(exc, HippoError)
