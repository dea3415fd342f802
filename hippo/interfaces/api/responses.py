"""The error responses each route can give, for the OpenAPI document: every failure body is
``{"detail": "…"}`` (422s add ``errors``, one entry per invalid field), so generated clients parse
errors with the schema the server really sends."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class ErrorOut(BaseModel):
    detail: str = Field(description="what went wrong, as a sentence a person can act on")
    kind: str | None = Field(default=None, description="a short name of the failure for programs (invalid_input, …)")


class FieldErrorOut(BaseModel):
    loc: list[str] = Field(description="where the invalid value is: body, query or path, then the field names")
    msg: str
    type: str


class ValidationErrorOut(BaseModel):
    detail: str = Field(description="the first few problems in one line")
    kind: str | None = Field(default=None, description="a short name of the failure for programs (invalid_input, …)")
    errors: list[FieldErrorOut] = Field(default_factory=list, description="each invalid field (request validation)")


DESCRIPTIONS = {
    400: "the body is not JSON Hippo can read (nested too deeply)",
    401: "no API key, or not a valid one",
    403: "the API key may not use this namespace",
    404: "no such document, job, entity or passage",
    409: "the job has not succeeded (yet)",
    413: "the body, or the number or size of documents, is over the limit",
    422: "the request is not valid (the detail says which field and why)",
    503: "the store or the LLM is unavailable; retry after the Retry-After seconds",
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these status codes, with the body each really has."""
    return {
        code: {"model": ValidationErrorOut if code == 422 else ErrorOut, "description": DESCRIPTIONS[code]}
        for code in codes
    }


# what every route under /v1/namespaces/{ns} can answer: key and scope, a bad namespace, the store
NAMESPACE_ROUTE = errors(401, 403, 422, 503)
BODY = errors(400, 413)  # routes that read a JSON body
