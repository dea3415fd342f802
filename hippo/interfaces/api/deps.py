"""FastAPI dependencies: the shared hub, the caller's key, and a checked namespace."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from hippo.interfaces.api.hub import Hub
from hippo.service.keys import ApiKey, require_scope
from hippo.service.limits import MAX_NAMESPACE_CHARS, NAMESPACE_RULE, check_namespace

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


# No `pattern` here: JSON Schema patterns read \w as ASCII, so a pattern would tell clients
# (and schemathesis) that 'Москва' is invalid. The rule is checked by check_namespace (422).
NamespacePath = Annotated[
    str, Path(min_length=1, max_length=MAX_NAMESPACE_CHARS, description=f"namespace: {NAMESPACE_RULE}")
]


def namespace(ns: NamespacePath, key: Annotated[ApiKey | None, Depends(caller)]) -> str:
    check_namespace(ns)  # the one rule every interface applies
    require_scope(key, ns)
    return ns


HubDep = Annotated[Hub, Depends(get_hub)]
CallerDep = Annotated[ApiKey | None, Depends(caller)]
NamespaceDep = Annotated[str, Depends(namespace)]
