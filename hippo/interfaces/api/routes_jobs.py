"""Polling background jobs, and downloading what a synthesis job wrote."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path
from fastapi.responses import FileResponse

from hippo.errors import NotFound
from hippo.interfaces.api.deps import CallerDep, HubDep
from hippo.interfaces.api.responses import errors
from hippo.interfaces.api.schemas import JobOut

router = APIRouter(prefix="/v1/jobs", tags=["jobs"])

JobIdPath = Annotated[str, Path(pattern=r"^[0-9a-f]{32}$", description="the id a 202 response returned")]


@router.get("/{job_id}", response_model=JobOut, responses=errors(401, 404, 422), summary="Status, progress, error and result of a job")
def get_job(job_id: JobIdPath, key: CallerDep, hub: HubDep) -> dict[str, Any]:
    return hub.service.job(job_id, key)


@router.get("/{job_id}/output", summary="The JSONL a finished synthesis job wrote",
            response_class=FileResponse, responses={200: {"content": {"application/x-ndjson": {}}}, **errors(401, 404, 409, 422)})
def get_job_output(job_id: JobIdPath, key: CallerDep, hub: HubDep) -> FileResponse:
    job = hub.service.job(job_id, key)
    if job["kind"] != "synthesize":
        raise NotFound("only synthesis jobs have an output file")
    if job["status"] != "succeeded":
        raise HTTPException(409, f"the job is {job['status']}; its output is ready when it has succeeded")
    path = hub.synth_output_dir() / f"{job_id}.jsonl"
    if not path.is_file():
        raise NotFound("the output file is gone from the server")
    return FileResponse(path, media_type="application/x-ndjson", filename=f"synth-{job_id}.jsonl")
