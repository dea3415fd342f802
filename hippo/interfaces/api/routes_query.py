"""Retrieval and synthesis over a namespace."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from hippo.index.extract.base import Progress
from hippo.interfaces.api.deps import HubDep, NamespaceDep
from hippo.interfaces.api.responses import BODY, NAMESPACE_ROUTE
from hippo.interfaces.api.schemas import JobAccepted, QueryIn, QueryOut, SynthesizeIn
from hippo.synth.options import SynthOptions

router = APIRouter(prefix="/v1/namespaces/{ns}", tags=["query"])


@router.post("/query", response_model=QueryOut, responses={**NAMESPACE_ROUTE, **BODY}, summary="Ranked passages for a (multi-hop) question, explained")
def query(body: QueryIn, ns: NamespaceDep, hub: HubDep) -> dict[str, Any]:
    result = hub.service.query(ns, body.query, top_k=body.top_k, mode=body.mode,
                               recognition_filter=body.recognition_filter)
    return result.to_dict()


def synth_options(body: SynthesizeIn) -> SynthOptions:
    """The run's options from the fields sent, built as the CLI builds them from its flags: bad
    values raise UserError, a 422 before a job exists. Every job writes a file of its own."""
    return SynthOptions.from_values({**body.model_dump(exclude_unset=True), "overwrite": True})


@router.post("/synthesize", status_code=202, response_model=JobAccepted, responses={**NAMESPACE_ROUTE, **BODY},
             summary="Synthesise KG-grounded training QA (a background job; output at /v1/jobs/{id}/output)")
def synthesize(body: SynthesizeIn, ns: NamespaceDep, hub: HubDep) -> JobAccepted:
    from hippo.synth.pipeline import Synthesizer

    options = synth_options(body)
    memory = hub.service.memory_for(ns)
    synthesizer = Synthesizer(memory, options)
    synthesizer.generator_kind()  # a mode that needs an unconfigured LLM fails here, as a 422
    if not memory.stats()["facts"]:
        raise HTTPException(422, f"namespace {ns!r} has no facts to synthesise from; index documents first")
    out_dir = hub.synth_output_dir()

    def run(progress: Progress) -> dict[str, Any]:
        out_dir.mkdir(parents=True, exist_ok=True)
        result = synthesizer.run(out_dir / f"{job_id}.jsonl", progress=progress).to_dict()
        result.pop("path", None)  # a server path means nothing to a client; the URL does
        result["output_url"] = f"/v1/jobs/{job_id}/output"
        return result

    job_id = hub.service.jobs.new_id()
    hub.service.jobs.submit("synthesize", ns, run, job_id=job_id)
    return JobAccepted(job_id=job_id, status_url=f"/v1/jobs/{job_id}")
