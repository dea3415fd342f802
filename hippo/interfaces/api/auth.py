"""API keys: parsing ``HIPPO_API_KEYS``, reading a key from a request, namespace scopes, and the
rule that an API without keys only listens on loopback.

``HIPPO_API_KEYS`` is comma-separated; each item is ``KEY`` (every namespace) or
``KEY:ns1|ns2`` (only those namespaces).
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass

from fastapi import HTTPException, Request

from hippo.errors import UserError


@dataclass(frozen=True)
class ApiKey:
    secret: str
    namespaces: frozenset[str] | None  # None: every namespace

    def allows(self, ns: str) -> bool:
        return self.namespaces is None or ns in self.namespaces


def parse_api_keys(raw: str) -> list[ApiKey]:
    keys: list[ApiKey] = []
    for item in raw.split(","):
        item = item.strip()
        if not item:
            continue
        secret, sep, scope = item.partition(":")
        secret = secret.strip()
        if not secret:
            raise UserError("HIPPO_API_KEYS has an entry with an empty key (format: KEY or KEY:ns1|ns2, comma-separated)")
        namespaces: frozenset[str] | None = None
        if sep:
            names = frozenset(n.strip() for n in scope.split("|") if n.strip())
            if not names:
                raise UserError("HIPPO_API_KEYS: a key followed by ':' must name namespaces (KEY:ns1|ns2)")
            namespaces = names
        keys.append(ApiKey(secret, namespaces))
    return keys


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
            "set HIPPO_API_KEYS=KEY[,KEY:ns1|ns2] or pass --allow-unauthenticated"
        )
    where = "local use only (loopback)" if is_loopback(host) else f"OPEN TO ANYONE WHO CAN REACH {host}"
    return f"hippo: notice: no API keys configured (HIPPO_API_KEYS): requests are not authenticated; {where}"


def key_from_request(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    api_key = request.headers.get("x-api-key", "").strip()
    return api_key or None


class Authenticator:
    """Who may do what. With no keys configured every request passes (loopback-only server)."""

    def __init__(self, keys: list[ApiKey]) -> None:
        self.keys = keys

    @property
    def enabled(self) -> bool:
        return bool(self.keys)

    def identify(self, request: Request) -> ApiKey | None:
        """The caller's key (None when auth is off); 401 when a key is needed and missing or wrong."""
        if not self.keys:
            return None
        presented = key_from_request(request)
        if presented is None:
            raise HTTPException(
                401, "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        for key in self.keys:
            # compare every key in constant time so timing does not reveal a prefix match
            if hmac.compare_digest(key.secret.encode(), presented.encode()):
                return key
        raise HTTPException(401, "the API key is not valid", headers={"WWW-Authenticate": "Bearer"})

    @staticmethod
    def require_scope(key: ApiKey | None, ns: str) -> None:
        if key is not None and not key.allows(ns):
            raise HTTPException(403, f"this API key may not use namespace {ns!r}")
