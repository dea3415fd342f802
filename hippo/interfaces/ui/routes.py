"""The two reads the graph explorer needs beyond the public API: a query with the drawable subgraph
that carried its PPR mass, and the subgraph of a synthesised record's provenance.

They sit under ``/v1/namespaces/{ns}/explore`` and use the API's own dependencies, so keys and
namespace scopes apply exactly as on every other route.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from hippo.interfaces.api.deps import HubDep, NamespaceDep
from hippo.interfaces.api.responses import BODY, NAMESPACE_ROUTE
from hippo.interfaces.api.schemas import QueryIn, Strict
from hippo.service.limits import MAX_DRAWING_IDS
from hippo.synth.formats import decode

router = APIRouter(prefix="/v1/namespaces/{ns}/explore", tags=["explore"])

IdList = list[str]


class DrawingOut(BaseModel):
    nodes: list[dict[str, Any]] = Field(description="id, kind (entity|passage), label, mass, roles, …")
    edges: list[dict[str, Any]] = Field(description="id, source, target, kind (relation|synonymy|mention), label, marked")
    ppr: bool = Field(description="whether node masses come from Personalized PageRank")
    missing: list[str] = Field(default_factory=list, description="ids the namespace does not have")


class ExploreQueryOut(BaseModel):
    query: str
    mode: str
    hits: list[dict[str, Any]]
    explanation: dict[str, Any]
    graph: DrawingOut


class ProvenanceIn(Strict):
    record: dict[str, Any] = Field(description="one line of a `hippo synth` JSONL file (alpaca, sharegpt or chatml)")


class ProvenanceOut(BaseModel):
    question: str
    answer: str
    meta: dict[str, Any]
    graph: DrawingOut


@router.post("/query", response_model=ExploreQueryOut, responses={**NAMESPACE_ROUTE, **BODY},
             summary="A query's hits and explanation plus the subgraph that carried its PPR mass (for drawing)")
def explore_query(body: QueryIn, ns: NamespaceDep, hub: HubDep) -> dict[str, Any]:
    result, graph = hub.service.query_drawing(ns, body.query, top_k=body.top_k, mode=body.mode)
    return {**result.to_dict(), "graph": graph}


def _ids(provenance: dict[str, Any], key: str) -> IdList:
    value = provenance.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise HTTPException(422, f"meta.provenance.{key} must be a list of id strings")
    return value


@router.post("/provenance", response_model=ProvenanceOut, responses={**NAMESPACE_ROUTE, **BODY},
             summary="The question, answer and source subgraph of a synthesised record (for drawing)")
def explore_provenance(body: ProvenanceIn, ns: NamespaceDep, hub: HubDep) -> dict[str, Any]:
    record = body.record
    try:
        question, answer = decode(record)
    except (ValueError, StopIteration, AttributeError, TypeError):
        raise HTTPException(422, "the record is not a line of a `hippo synth` file (no question and answer found)") from None
    meta = record.get("meta")
    provenance = meta.get("provenance") if isinstance(meta, dict) else None
    if not isinstance(provenance, dict):
        raise HTTPException(422, "the record has no meta.provenance (passage_ids, fact_ids, entity_ids)")
    assert isinstance(meta, dict)
    passages, facts, entities = _ids(provenance, "passage_ids"), _ids(provenance, "fact_ids"), _ids(provenance, "entity_ids")
    path = meta.get("path") or []
    if not isinstance(path, list) or not all(isinstance(v, str) for v in path):
        raise HTTPException(422, "meta.path must be a list of entity ids")
    if len(passages) + len(facts) + len(entities) + len(path) > MAX_DRAWING_IDS:
        raise HTTPException(422, f"the record names more than {MAX_DRAWING_IDS} ids; the explorer draws small subgraphs")
    graph = hub.service.provenance_drawing(ns, passages, facts, entities, path)
    return {"question": question, "answer": answer, "meta": meta, "graph": graph}
