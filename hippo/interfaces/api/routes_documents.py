"""Adding, replacing and deleting documents. Adding and replacing are background jobs (202 with a
job id); deleting is one store transaction, answered at once. The checks are the service's."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from hippo.errors import NotFound
from hippo.interfaces.api.deps import HubDep, NamespaceDep
from hippo.interfaces.api.responses import BODY, NAMESPACE_ROUTE, errors
from hippo.interfaces.api.schemas import DeletedOut, DocumentsIn, JobAccepted, ReplaceDocumentIn
from hippo.service.jobs import Job
from hippo.service.limits import MAX_DOC_ID_CHARS
from hippo.types import Document

router = APIRouter(prefix="/v1/namespaces/{ns}/documents", tags=["documents"])

DocIdPath = Annotated[str, Path(min_length=1, max_length=MAX_DOC_ID_CHARS, description="the document's id")]


def _accepted(job: Job) -> JobAccepted:
    return JobAccepted(job_id=job.id, status_url=f"/v1/jobs/{job.id}")


@router.post("", status_code=202, response_model=JobAccepted, responses={**NAMESPACE_ROUTE, **BODY}, summary="Add documents (a background job)")
def add_documents(body: DocumentsIn, ns: NamespaceDep, hub: HubDep) -> JobAccepted:
    documents = [Document(id=d.id, title=d.title, text=d.text, metadata=d.metadata) for d in body.documents]
    return _accepted(hub.service.submit_add_documents(ns, documents, replace=body.replace))


@router.put("/{doc_id}", status_code=202, response_model=JobAccepted, responses={**NAMESPACE_ROUTE, **BODY}, summary="Add or replace one document (a job)")
def replace_document(doc_id: DocIdPath, body: ReplaceDocumentIn, ns: NamespaceDep, hub: HubDep) -> JobAccepted:
    document = Document(id=doc_id, title=body.title, text=body.text, metadata=body.metadata)
    return _accepted(hub.service.submit_add_documents(ns, [document], replace=True))


@router.delete("/{doc_id}", response_model=DeletedOut, responses={**NAMESPACE_ROUTE, **errors(404)}, summary="Delete a document and what only it supported")
def delete_document(doc_id: DocIdPath, ns: NamespaceDep, hub: HubDep) -> DeletedOut:
    deleted = hub.service.delete(ns, [doc_id])
    if not deleted:
        raise NotFound(f"no document {doc_id!r} in namespace {ns!r}")
    return DeletedOut(namespace=ns, doc_id=doc_id, deleted=deleted)
