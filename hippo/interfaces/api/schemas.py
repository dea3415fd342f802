"""Request and response bodies. Limits live on the fields so the OpenAPI schema states them and
FastAPI refuses bad input with 422 before any work starts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema, create_model

from hippo.retrieve.policies.registry import MODES, unknown_mode_message
from hippo.service.limits import MAX_DOC_ID_CHARS, MAX_QUERY_CHARS, MAX_TITLE_CHARS, MAX_TOP_K
from hippo.synth.options import option_fields
from hippo.synth.optionspec import OptionField
from hippo.validation import metadata_problem


def _known_mode(mode: str) -> str:
    if mode not in MODES:
        raise ValueError(unknown_mode_message(mode))
    return mode


# the registry's modes, checked on input and stated as an enum in the OpenAPI schema
Mode = Annotated[str, AfterValidator(_known_mode), WithJsonSchema({"type": "string", "enum": list(MODES)})]


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
    stage: str = Field(description="extract, embed, write or synonymy while indexing; synthesise while synthesising")
    done: int
    total: int
    rate: float | None = Field(default=None, description="items per second in this stage so far (None until measurable)")
    eta_s: float | None = Field(default=None, description="seconds left in this stage at that rate (None until measurable)")


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
_PY_TYPES: dict[str, Any] = {"bool": bool, "int": int, "float": float, "str": str, "strs": list[str]}


def _synth_field(f: OptionField) -> tuple[Any, Any]:
    py_type = _PY_TYPES[f.kind]
    if f.optional:
        py_type = py_type | None
    choices = f.choices()
    extra: dict[str, Any] = {}
    if choices is not None:
        names = [*choices, "all"] if f.spec.all_word else list(choices)
        extra = {"items": {"type": "string", "enum": names}} if f.kind == "strs" else {"enum": names}
    description = f"{f.recipe}: {f.spec.help}" if f.recipe else f.spec.help
    default = list(f.default) if isinstance(f.default, tuple) else f.default
    # the options' own validation (the CLI's too) names unknown choices; the schema states them
    return py_type, Field(default=default, ge=f.spec.ge, gt=f.spec.gt, le=f.spec.le, description=description,
                          json_schema_extra=extra or None)


def synth_request_model() -> type[Strict]:
    """The synthesize request, one field per synthesis option the API exposes, from the same
    declarations the CLI's flags come from."""
    fields: dict[str, Any] = {f.name: _synth_field(f) for f in option_fields() if "api" in f.spec.interfaces}
    model: type[Strict] = create_model("SynthesizeIn", __base__=Strict, **fields)
    return model


if TYPE_CHECKING:
    SynthesizeIn = Strict
else:
    SynthesizeIn = synth_request_model()


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
