"""Adding, replacing and deleting documents. Adding and replacing are background jobs (202 with a
job id); deleting is one store transaction, answered at once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path

from hippo.index.extract.base import Progress
from hippo.interfaces.api.deps import HubDep, NamespaceDep
from hippo.interfaces.api.hub import Hub
from hippo.interfaces.api.limits import MAX_DOC_ID_CHARS
from hippo.interfaces.api.schemas import DeletedOut, DocumentsIn, JobAccepted, ReplaceDocumentIn
from hippo.types import Document

router = APIRouter(prefix="/v1/namespaces/{ns}/documents", tags=["documents"])

DocIdPath = Annotated[str, Path(min_length=1, max_length=MAX_DOC_ID_CHARS, description="the document's id")]
DELETE_WAIT_SECONDS = 60.0  # how long a delete waits for a job writing the same namespace


def _check_sizes(hub: Hub, documents: list[Document]) -> None:
    limit = hub.settings.api_max_documents
    if len(documents) > limit:
        raise HTTPException(
            413, f"{len(documents)} documents in one request; the limit is {limit} (HIPPO_API_MAX_DOCUMENTS): "
            "send them in batches"
        )
    max_chars = hub.settings.max_document_chars
    seen: set[str] = set()
    for doc in documents:
        if len(doc.text) > max_chars:
            raise HTTPException(
                413, f"document {doc.id!r} has {len(doc.text)} characters; the limit is {max_chars} "
                "(HIPPO_MAX_DOCUMENT_CHARS): split it"
            )
        if doc.id in seen:
            raise HTTPException(422, f"document id {doc.id!r} appears more than once in the request")
        seen.add(doc.id)


def _submit_index(hub: Hub, ns: str, documents: list[Document], replace: bool) -> JobAccepted:
    _check_sizes(hub, documents)

    def run(progress: Progress) -> dict[str, Any]:
        report = hub.memory_for(ns, extractor=True).add_documents(documents, replace=replace, progress=progress)
        return report.to_dict()

    job = hub.jobs.submit("index", ns, run)
    return JobAccepted(job_id=job.id, status_url=f"/v1/jobs/{job.id}")


@router.post("", status_code=202, response_model=JobAccepted, summary="Add documents (a background job)")
def add_documents(body: DocumentsIn, ns: NamespaceDep, hub: HubDep) -> JobAccepted:
    documents = [Document(id=d.id, title=d.title, text=d.text, metadata=d.metadata) for d in body.documents]
    return _submit_index(hub, ns, documents, body.replace)


@router.put("/{doc_id}", status_code=202, response_model=JobAccepted, summary="Add or replace one document (a job)")
def replace_document(doc_id: DocIdPath, body: ReplaceDocumentIn, ns: NamespaceDep, hub: HubDep) -> JobAccepted:
    document = Document(id=doc_id, title=body.title, text=body.text, metadata=body.metadata)
    return _submit_index(hub, ns, [document], replace=True)


@router.delete("/{doc_id}", response_model=DeletedOut, summary="Delete a document and what only it supported")
def delete_document(doc_id: DocIdPath, ns: NamespaceDep, hub: HubDep) -> DeletedOut:
    # the namespace lock keeps a delete from landing between an indexing job's reads and its write
    with hub.locks.hold(ns, timeout=DELETE_WAIT_SECONDS):
        deleted = hub.memory_for(ns).delete([doc_id])
    if not deleted:
        raise HTTPException(404, f"no document {doc_id!r} in namespace {ns!r}")
    return DeletedOut(namespace=ns, doc_id=doc_id, deleted=deleted)
