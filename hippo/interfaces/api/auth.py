"""Who may call the HTTP API: the caller's key from the request (401 when one is needed and
missing or wrong). Keys, scopes and the loopback rule are the service layer's
(``hippo.service.keys``), shared with the MCP server."""

from __future__ import annotations

from fastapi import HTTPException, Request

from hippo.service.keys import ApiKey, find_key, key_from_headers


class Authenticator:
    """With no keys configured every request passes (the server then listens on loopback only)."""

    def __init__(self, keys: list[ApiKey]) -> None:
        self.keys = keys

    @property
    def enabled(self) -> bool:
        return bool(self.keys)

    def identify(self, request: Request) -> ApiKey | None:
        """The caller's key (None when auth is off); 401 when a key is needed and missing or wrong."""
        if not self.keys:
            return None
        presented = key_from_headers(request.headers)
        if presented is None:
            raise HTTPException(
                401, "an API key is required: send 'Authorization: Bearer KEY' or 'X-API-Key: KEY'",
                headers={"WWW-Authenticate": "Bearer"},
            )
        key = find_key(self.keys, presented)
        if key is None:
            raise HTTPException(401, "the API key is not valid", headers={"WWW-Authenticate": "Bearer"})
        return key
