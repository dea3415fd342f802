"""Looking at what is stored: namespaces, counts, and the neighbourhood of a node."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from hippo.interfaces.api.deps import CallerDep, HubDep, NamespaceDep
from hippo.interfaces.api.responses import NAMESPACE_ROUTE, errors
from hippo.interfaces.api.schemas import NamespacesOut, StatsOut, SubgraphOut
from hippo.service.limits import MAX_HOPS, MAX_NODE_ID_CHARS

router = APIRouter(prefix="/v1/namespaces", tags=["inspect"])

NodeId = Annotated[str | None, Query(min_length=1, max_length=MAX_NODE_ID_CHARS)]


@router.get("", response_model=NamespacesOut, responses=errors(401, 503), summary="Namespaces in the store (those the key may use)")
def list_namespaces(key: CallerDep, hub: HubDep) -> NamespacesOut:
    names = hub.memory.store.namespaces()
    return NamespacesOut(namespaces=sorted(n for n in names if key is None or key.allows(n)))


@router.get("/{ns}/stats", response_model=StatsOut, responses=NAMESPACE_ROUTE, summary="Counts of documents, passages, entities, facts, edges")
def stats(ns: NamespaceDep, hub: HubDep) -> dict[str, Any]:
    return hub.service.stats(ns)


@router.get("/{ns}/subgraph", response_model=SubgraphOut, responses={**NAMESPACE_ROUTE, **errors(404)},
            summary="Entities, facts and passages around an entity or a passage")
def get_subgraph(
    ns: NamespaceDep,
    hub: HubDep,
    entity: NodeId = None,
    passage: NodeId = None,
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 1,
) -> dict[str, Any]:
    return hub.service.subgraph(ns, entity=entity, passage=passage, hops=hops)
