"""Request and response bodies. Limits live on the fields so the OpenAPI schema states them and
FastAPI refuses bad input with 422 before any work starts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from hippo.interfaces.api.limits import MAX_DOC_ID_CHARS, MAX_QUERY_CHARS, MAX_TITLE_CHARS, MAX_TOP_K
from hippo.validation import metadata_problem

Mode = Literal["hipporag2", "hipporag1", "dense"]


def _metadata(value: dict[str, Any]) -> dict[str, Any]:
    problem = metadata_problem(value)
    if problem:
        raise ValueError(problem)
    return value


Metadata = Annotated[dict[str, Any], AfterValidator(_metadata)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --- documents and jobs ------------------------------------------------------------------------
class DocumentIn(Strict):
    id: str = Field(min_length=1, max_length=MAX_DOC_ID_CHARS, description="your id for the document")
    title: str = Field(default="", max_length=MAX_TITLE_CHARS)
    text: str = Field(min_length=1, description="the document's text (size bounded by the body limit)")
    metadata: Metadata = Field(default_factory=dict)


class DocumentsIn(Strict):
    documents: list[DocumentIn] = Field(min_length=1, description="at most HIPPO_API_MAX_DOCUMENTS per request")
    replace: bool = Field(default=False, description="replace documents whose id exists with the new content")


class ReplaceDocumentIn(Strict):
    title: str = Field(default="", max_length=MAX_TITLE_CHARS)
    text: str = Field(min_length=1)
    metadata: Metadata = Field(default_factory=dict)


class JobAccepted(BaseModel):
    job_id: str
    status_url: str


class JobProgress(BaseModel):
    stage: str
    done: int
    total: int


class JobOut(BaseModel):
    job_id: str
    kind: str
    namespace: str
    status: Literal["queued", "running", "succeeded", "failed"]
    progress: JobProgress
    error: str | None
    result: dict[str, Any] | None
    created: float
    started: float | None
    finished: float | None


class DeletedOut(BaseModel):
    namespace: str
    doc_id: str
    deleted: int


# --- query -------------------------------------------------------------------------------------
class QueryIn(Strict):
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    top_k: int = Field(default=5, ge=1, le=MAX_TOP_K)
    mode: Mode | None = Field(default=None, description="default: the server's HIPPO_RETRIEVAL_MODE")
    recognition_filter: bool | None = Field(
        default=None,
        description="HippoRAG 2's LLM filter on the linked facts (needs the server's HIPPO_LLM_*); "
                    "default: the server's HIPPO_RECOGNITION_FILTER",
    )


class HitOut(BaseModel):
    passage_id: str
    doc_id: str
    title: str
    text: str
    score: float


class QueryOut(BaseModel):
    query: str
    mode: str
    hits: list[HitOut]
    explanation: dict[str, Any]


# --- synthesis ---------------------------------------------------------------------------------
class SynthesizeIn(Strict):
    mode: str = Field(default="atomic", description="what to generate, as `hippo synth --mode`")
    partition: str = Field(default="khop", description="subgraph partitioner, as `hippo synth --partition`")
    budget: int = Field(default=100, ge=1, le=10_000, description="at most this many pairs")
    format: str = Field(default="auto", description="auto (alpaca for QA recipes, text for corpus recipes) | alpaca | sharegpt | chatml | text")
    generator: Literal["auto", "template", "llm"] = "auto"
    judge: bool | None = None
    score: bool | None = None
    seed: int = Field(default=0, ge=0, le=2**31 - 1)
    max_depth: int = Field(default=2, ge=1, le=5)
    max_units: int = Field(default=10, ge=2, le=100)
    max_tokens: int = Field(default=1024, ge=8, le=16_384)


# --- inspection --------------------------------------------------------------------------------
class StatsOut(BaseModel):
    model_config = ConfigDict(extra="allow")
    namespace: str
    documents: int
    passages: int
    entities: int
    facts: int


class NamespacesOut(BaseModel):
    namespaces: list[str]


class EntityOut(BaseModel):
    id: str
    name: str


class FactOut(BaseModel):
    id: str
    subject_id: str
    predicate: str
    object_id: str
    text: str


class PassageOut(BaseModel):
    id: str
    doc_id: str
    title: str
    text: str


class SynonymOut(BaseModel):
    a: str
    b: str
    weight: float


class SubgraphOut(BaseModel):
    center: str
    hops: int
    entities: list[EntityOut]
    facts: list[FactOut]
    passages: list[PassageOut]
    mentions: list[tuple[str, str]] = Field(description="(passage_id, entity_id) context edges")
    synonyms: list[SynonymOut]
    truncated: bool


class HealthOut(BaseModel):
    status: str


class ReadyOut(BaseModel):
    status: str
    store: str
