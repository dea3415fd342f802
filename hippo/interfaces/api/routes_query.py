"""Retrieval and synthesis over a namespace."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException

from hippo.index.extract.base import Progress
from hippo.interfaces.api.deps import HubDep, NamespaceDep
from hippo.interfaces.api.schemas import JobAccepted, QueryIn, QueryOut, SynthesizeIn

router = APIRouter(prefix="/v1/namespaces/{ns}", tags=["query"])


@router.post("/query", response_model=QueryOut, summary="Ranked passages for a (multi-hop) question, explained")
def query(body: QueryIn, ns: NamespaceDep, hub: HubDep) -> dict[str, Any]:
    result = hub.memory_for(ns).query(body.query, top_k=body.top_k, mode=body.mode,
                                      recognition_filter=body.recognition_filter)
    return result.to_dict()


@router.post("/synthesize", status_code=202, response_model=JobAccepted,
             summary="Synthesise KG-grounded training QA (a background job; output at /v1/jobs/{id}/output)")
def synthesize(body: SynthesizeIn, ns: NamespaceDep, hub: HubDep) -> JobAccepted:
    from hippo.synth.options import SynthOptions
    from hippo.synth.pipeline import Synthesizer

    options = SynthOptions(
        mode=body.mode, partitioner=body.partition, budget=body.budget, fmt=body.format, seed=body.seed,
        generator=body.generator, judge=body.judge, score=body.score, max_depth=body.max_depth,
        max_units=body.max_units, max_tokens=body.max_tokens, overwrite=True,
    )  # bad values raise UserError -> 422 before a job exists
    memory = hub.memory_for(ns)
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

    job_id = hub.jobs.new_id()
    hub.jobs.submit("synthesize", ns, run, job_id=job_id)
    return JobAccepted(job_id=job_id, status_url=f"/v1/jobs/{job_id}")
