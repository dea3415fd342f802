"""API keys, shared by the HTTP API and the MCP server: reading them (``HIPPO_API_KEYS_FILE`` or
``HIPPO_API_KEYS``), reading a key from request headers, finding it in constant time, namespace
scopes, and the rule that a server without keys only listens on loopback.

Formats, none of which can split a secret:

- ``HIPPO_API_KEYS_FILE``: one key per line, optionally followed by whitespace and
  ``namespaces=ns1,ns2`` (only those namespaces); blank lines and lines starting with ``#`` are
  skipped. A key is everything up to the first whitespace. A file whose first character is ``[``
  (or ``{``) is read as JSON, like the next form.
- ``HIPPO_API_KEYS`` as JSON: ``["KEY", {"key": "KEY2", "namespaces": ["ns1", "ns2"]}]``.
- ``HIPPO_API_KEYS`` as one plain key (every namespace). The old ``KEY,KEY2:ns1|ns2`` lists are
  refused: ``,`` and ``:`` may be part of a secret, and splitting there silently made a shorter key.

Every key must be at least ``MIN_KEY_CHARS`` characters; none is ever printed.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hippo.config import Settings
from hippo.errors import Forbidden, UserError
from hippo.validation import namespace_problem

MIN_KEY_CHARS = 16
NEW_FORMATS = (
    "use HIPPO_API_KEYS_FILE (one key per line, optionally followed by ' namespaces=ns1,ns2') or "
    'HIPPO_API_KEYS as JSON: ["KEY", {"key": "KEY2", "namespaces": ["ns1"]}]'
)
MAKE_A_KEY = "python -c 'import secrets; print(secrets.token_urlsafe(32))'"


@dataclass(frozen=True)
class ApiKey:
    secret: str
    namespaces: frozenset[str] | None  # None: every namespace

    def allows(self, ns: str) -> bool:
        return self.namespaces is None or ns in self.namespaces

    def __repr__(self) -> str:  # never show the secret, not even in a traceback or a log
        scope = "every namespace" if self.namespaces is None else "|".join(sorted(self.namespaces))
        return f"ApiKey(<{len(self.secret)} characters>, {scope})"


def _key(secret: Any, namespaces: Any, where: str) -> ApiKey:
    if not isinstance(secret, str) or not secret:
        raise UserError(f"{where}: the key is missing or not a string")
    if any(ch.isspace() for ch in secret):
        raise UserError(f"{where}: a key may not contain whitespace")
    if len(secret) < MIN_KEY_CHARS:
        raise UserError(
            f"{where}: the key has {len(secret)} characters; keys must have at least {MIN_KEY_CHARS} "
            f"(make one with: {MAKE_A_KEY})"
        )
    if namespaces is None:
        return ApiKey(secret, None)
    if isinstance(namespaces, str) or not isinstance(namespaces, Sequence) or not namespaces:
        raise UserError(f"{where}: 'namespaces' must be a non-empty list of namespace names")
    for ns in namespaces:
        problem = namespace_problem(ns)
        if problem:
            raise UserError(f"{where}: {problem}")
    return ApiKey(secret, frozenset(namespaces))


def _from_json(raw: str, source: str) -> list[ApiKey]:
    try:
        items = json.loads(raw)
    except (json.JSONDecodeError, RecursionError):
        raise UserError(f"{source} is not valid JSON; {NEW_FORMATS}") from None
    if not isinstance(items, list):
        raise UserError(f"{source} must be a JSON list; {NEW_FORMATS}")
    keys = []
    for number, item in enumerate(items, start=1):
        where = f"{source}, key {number}"
        if isinstance(item, dict):
            unknown = set(item) - {"key", "namespaces"}
            if unknown:
                raise UserError(f"{where}: unknown fields {sorted(unknown)} (allowed: key, namespaces)")
            keys.append(_key(item.get("key"), item.get("namespaces"), where))
        else:
            keys.append(_key(item, None, where))
    return keys


def _from_lines(raw: str, source: str) -> list[ApiKey]:
    keys = []
    for number, line in enumerate(raw.splitlines(), start=1):
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        where = f"{source}, line {number}"
        namespaces: list[str] | None = None
        if len(fields) == 2 and fields[1].startswith("namespaces="):
            namespaces = [n for n in fields[1].removeprefix("namespaces=").split(",") if n]
        elif len(fields) > 1:  # never echoed: it may be the rest of a secret with a space in it
            raise UserError(f"{where}: expected 'KEY' or 'KEY namespaces=ns1,ns2'")
        keys.append(_key(fields[0], namespaces, where))
    return keys


def parse_api_keys(raw: str, source: str = "HIPPO_API_KEYS") -> list[ApiKey]:
    """Keys from the value of HIPPO_API_KEYS: JSON, or one plain key."""
    raw = raw.strip()
    if not raw:
        return []
    if raw.startswith(("[", "{")):
        return _check_unique(_from_json(raw, source), source)
    if "," in raw or ":" in raw or any(ch.isspace() for ch in raw):
        raise UserError(
            f"{source} holds ',', ':' or whitespace: the old 'KEY,KEY2:ns1|ns2' list is no longer read, "
            f"because a secret may contain those characters and splitting there weakened it; {NEW_FORMATS}"
        )
    return [_key(raw, None, source)]


def parse_api_keys_file(text: str, source: str) -> list[ApiKey]:
    stripped = text.strip()
    keys = _from_json(stripped, source) if stripped.startswith(("[", "{")) else _from_lines(text, source)
    if not keys:
        raise UserError(f"{source} holds no keys")
    return _check_unique(keys, source)


def _check_unique(keys: list[ApiKey], source: str) -> list[ApiKey]:
    if len({k.secret for k in keys}) != len(keys):
        raise UserError(f"{source} lists the same key twice; give each key once, with all its namespaces")
    return keys


def load_api_keys(settings: Settings) -> tuple[list[ApiKey], str]:
    """The configured keys and where they came from (for the start-up line)."""
    if settings.api_keys_file and settings.api_keys:
        raise UserError("set HIPPO_API_KEYS_FILE or HIPPO_API_KEYS, not both")
    if settings.api_keys_file:
        path = Path(settings.api_keys_file)
        source = f"HIPPO_API_KEYS_FILE ({path})"
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"{source} cannot be read: {type(exc).__name__}: {getattr(exc, 'strerror', '') or exc}") from None
        return parse_api_keys_file(text, source), source
    return parse_api_keys(settings.api_keys), "HIPPO_API_KEYS"


def describe_keys(keys: list[ApiKey], source: str) -> str:
    """What was read, for the start-up line: counts and scopes, never a secret."""
    if not keys:
        return "hippo: no API keys configured"
    full = sum(1 for k in keys if k.namespaces is None)
    scoped = sorted("|".join(sorted(k.namespaces)) for k in keys if k.namespaces is not None)
    parts = [f"{full} for every namespace"] if full else []
    parts += [f"1 for {scope}" for scope in scoped]
    noun = "key" if len(keys) == 1 else "keys"
    return f"hippo: {len(keys)} API {noun} read from {source}: " + ", ".join(parts)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(host: str, keys: list[ApiKey], allow_unauthenticated: bool) -> str | None:
    """Refuse (UserError) to serve without keys on a non-loopback host unless explicitly allowed;
    return the notice to print at start when the server runs without keys, else None."""
    if keys:
        return None
    if not is_loopback(host) and not allow_unauthenticated:
        raise UserError(
            f"no API keys are configured, so the server only listens on loopback (127.0.0.1), not {host}: "
            "set HIPPO_API_KEYS_FILE (or HIPPO_API_KEYS) or pass --allow-unauthenticated"
        )
    where = "local use only (loopback)" if is_loopback(host) else f"OPEN TO ANYONE WHO CAN REACH {host}"
    return f"hippo: notice: no API keys configured (HIPPO_API_KEYS_FILE, HIPPO_API_KEYS): requests are not authenticated; {where}"


def key_from_headers(headers: Mapping[str, str]) -> str | None:
    """The key sent as ``Authorization: Bearer KEY`` or ``X-API-Key: KEY`` (header names in lower
    case, as ASGI gives them; starlette's Headers match any case)."""
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    api_key = headers.get("x-api-key", "").strip()
    return api_key or None


def find_key(keys: list[ApiKey], presented: str) -> ApiKey | None:
    """The configured key equal to ``presented``. Every key is compared, each in constant time,
    so timing reveals neither a prefix match nor which key matched."""
    found: ApiKey | None = None
    for key in keys:
        if hmac.compare_digest(key.secret.encode(), presented.encode()) and found is None:
            found = key
    return found


def require_scope(key: ApiKey | None, ns: str) -> None:
    """Forbidden unless the key (None: no keys configured) may use the namespace."""
    if key is not None and not key.allows(ns):
        raise Forbidden(f"this API key may not use namespace {ns!r}")
