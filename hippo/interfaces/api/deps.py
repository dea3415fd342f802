"""FastAPI dependencies: the shared hub, the caller's key, and a checked namespace."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from hippo.interfaces.api.hub import Hub
from hippo.service.keys import ApiKey, require_scope
from hippo.service.limits import NAMESPACE_PATTERN

# declared so the OpenAPI schema (and /docs) show both ways to send a key; checking is ours
_bearer = HTTPBearer(auto_error=False, description="Authorization: Bearer KEY (a key from HIPPO_API_KEYS_FILE or HIPPO_API_KEYS)")
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="X-API-Key: KEY")


def get_hub(request: Request) -> Hub:
    hub: Hub = request.app.state.hub
    return hub


def caller(
    request: Request,
    _bearer_credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    _header_key: Annotated[str | None, Depends(_api_key_header)],
) -> ApiKey | None:
    return get_hub(request).auth.identify(request)


NamespacePath = Annotated[
    str, Path(pattern=NAMESPACE_PATTERN, description="namespace: 1-64 of A-Z a-z 0-9 _ . -")
]


def namespace(ns: NamespacePath, key: Annotated[ApiKey | None, Depends(caller)]) -> str:
    require_scope(key, ns)
    return ns


HubDep = Annotated[Hub, Depends(get_hub)]
CallerDep = Annotated[ApiKey | None, Depends(caller)]
NamespaceDep = Annotated[str, Depends(namespace)]
