"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter

from hippo.interfaces.api.deps import CallerDep, HubDep
from hippo.interfaces.api.responses import errors
from hippo.interfaces.api.schemas import HealthOut, ReadyOut

router = APIRouter(tags=["system"])


@router.get("/health", response_model=HealthOut, summary="The process is up (no key needed)")
def health() -> HealthOut:
    return HealthOut(status="ok")


@router.get("/ready", response_model=ReadyOut, responses=errors(401, 503), summary="The store answers (503 with the reason when not)")
def ready(key: CallerDep, hub: HubDep) -> ReadyOut:
    hub.memory.store.ping()  # StoreError -> 503 by the exception handlers
    return ReadyOut(status="ready", store=hub.memory.store.uri)
