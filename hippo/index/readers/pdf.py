"""PDF documents through pypdf: the text layer of every page, the title from the PDF's metadata
(else the file name). A PDF without a text layer (a scan) is reported, not indexed empty."""

from __future__ import annotations

import logging
from pathlib import Path

from hippo.index.ingest import ReadProblem, make_document
from hippo.types import Document


def read_pdf(path: Path, doc_id: str, max_chars: int) -> Document | ReadProblem:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    source = str(path)
    # pypdf logs every repaired cross-reference table; a damaged file is reported once, here
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            return ReadProblem(source, "encrypted PDF (a password is needed to read its text)")
        pages: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            pages.append(text)
            size += len(text)
            if size > max_chars:
                return ReadProblem(source, f"PDF text exceeds the limit of {max_chars:,} characters "
                                           "(HIPPO_MAX_DOCUMENT_CHARS)")
        meta_title = (reader.metadata.title if reader.metadata else None) or ""
    except (PyPdfError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        return ReadProblem(source, f"not a readable PDF ({type(exc).__name__}: {exc})")
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        return ReadProblem(source, f"PDF of {len(pages)} pages has no text layer (scanned? it needs OCR first)")
    title = meta_title.strip() if isinstance(meta_title, str) and meta_title.strip() else path.stem
    return make_document({"id": doc_id, "title": title, "text": text}, source, max_chars)
