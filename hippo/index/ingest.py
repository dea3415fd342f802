"""Reading documents (txt, md, jsonl, json; pdf, html, csv/tsv, parquet and saved Hugging Face
datasets through hippo.index.readers; folders of any of them).

A reader never stops at one bad file or line: it returns the good documents and a list of
problems, each naming its source, so the user sees exactly what was skipped and why.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hippo.errors import UserError
from hippo.text import stable_id
from hippo.types import Document
from hippo.validation import JSONTooDeep, document_problem, load_json

if TYPE_CHECKING:
    from hippo.index.readers.columns import TableColumns

SUPPORTED_SUFFIXES = (".txt", ".md", ".jsonl", ".json", ".pdf", ".html", ".htm", ".csv", ".tsv", ".parquet")


@dataclass(frozen=True)
class ReadProblem:
    source: str  # "path" or "path:line"
    message: str

    def __str__(self) -> str:
        return f"{self.source}: {self.message}"


@dataclass
class ReadResult:
    documents: list[Document]
    problems: list[ReadProblem]


def document_id_for(title: str, text: str) -> str:
    return stable_id("doc", title + "\n" + text)


def make_document(
    raw: Any, source: str, max_chars: int, default_title: str = ""
) -> Document | ReadProblem:
    """Validate one {id?, title?, text, metadata?} record into a Document: the field types here,
    the content by the rules every interface uses (``hippo.validation.document_problem``)."""
    if not isinstance(raw, dict):
        return ReadProblem(source, f"expected an object with a 'text' field, got {type(raw).__name__}")
    text = raw.get("text")
    if not isinstance(text, str):
        return ReadProblem(source, "missing or non-string 'text'")
    title = raw.get("title", default_title)
    if title is None:
        title = default_title
    if not isinstance(title, str):
        return ReadProblem(source, "'title' must be a string")
    metadata = raw.get("metadata") or {}
    doc_id = raw.get("id")
    if doc_id is None or doc_id == "":
        doc_id = document_id_for(title, text)
    elif not isinstance(doc_id, (str, int)) or isinstance(doc_id, bool):
        return ReadProblem(source, "'id' must be a string or an integer")
    problem = document_problem(str(doc_id), title.strip(), text, metadata, max_chars)
    if problem:
        return ReadProblem(source, problem.message)
    return Document(id=str(doc_id), title=title.strip(), text=text, metadata=metadata)


def _read_text_file(path: Path, doc_id: str, max_chars: int) -> Document | ReadProblem:
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        return ReadProblem(str(path), "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ReadProblem(str(path), f"not valid UTF-8 (byte {exc.start})")
    title = path.stem
    if path.suffix == ".md":
        for line in text.splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                break
    return make_document({"id": doc_id, "title": title, "text": text}, str(path), max_chars)


def _read_jsonl(path: Path, max_chars: int) -> Iterable[Document | ReadProblem]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError as exc:
        yield ReadProblem(str(path), f"not valid UTF-8 (byte {exc.start})")
        return
    if not any(line.strip() for line in lines):
        yield ReadProblem(str(path), "empty file (no JSON lines)")
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        source = f"{path}:{number}"
        try:
            raw = load_json(line)
        except json.JSONDecodeError as exc:
            yield ReadProblem(source, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        except JSONTooDeep as exc:
            yield ReadProblem(source, str(exc))
            continue
        yield make_document(raw, source, max_chars)


def _read_json(path: Path, max_chars: int) -> Iterable[Document | ReadProblem]:
    try:
        raw = load_json(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        yield ReadProblem(str(path), f"not valid UTF-8 (byte {exc.start})")
        return
    except JSONTooDeep as exc:
        yield ReadProblem(str(path), str(exc))
        return
    except json.JSONDecodeError as exc:
        yield ReadProblem(str(path), f"malformed JSON ({exc.msg} at line {exc.lineno})")
        return
    if isinstance(raw, dict) and isinstance(raw.get("documents"), list):
        raw = raw["documents"]
    if not isinstance(raw, list):
        yield ReadProblem(str(path), "expected a list of {title, text} objects (HippoRAG corpus format)")
        return
    for index, item in enumerate(raw):
        yield make_document(item, f"{path}[{index}]", max_chars)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _files_under(root: Path) -> list[Path]:
    """The readable files below ``root``, and the folders that are saved datasets (read whole:
    their own files are not documents)."""
    from hippo.index.readers.hf_dataset import is_saved_dataset

    if is_saved_dataset(root):
        return [root]
    found = [d for d in root.rglob("*") if d.is_dir() and not _hidden(d, root) and is_saved_dataset(d)]
    # a DatasetDict's splits are saved datasets too: read through the dict, once
    datasets = [d for d in found if not any(other in d.parents for other in found)]
    files = [
        p for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not _hidden(p, root)
        and not any(d in p.parents for d in datasets)
    ]
    return sorted(files + datasets)


def _read_one(file: Path, doc_id: str, max_chars: int, columns: TableColumns) -> Iterable[Document | ReadProblem]:
    suffix = file.suffix.lower()
    if file.is_dir():
        from hippo.index.readers.hf_dataset import read_saved_dataset

        return read_saved_dataset(file, columns, max_chars)
    if suffix == ".jsonl":
        return _read_jsonl(file, max_chars)
    if suffix == ".json":
        return _read_json(file, max_chars)
    if suffix == ".pdf":
        from hippo.index.readers.pdf import read_pdf

        return [read_pdf(file, doc_id, max_chars)]
    if suffix in (".html", ".htm"):
        from hippo.index.readers.html import read_html

        return [read_html(file, doc_id, max_chars)]
    if suffix in (".csv", ".tsv"):
        from hippo.index.readers.tables import read_csv

        return read_csv(file, columns, max_chars)
    if suffix == ".parquet":
        from hippo.index.readers.tables import read_parquet

        return read_parquet(file, columns, max_chars)
    return [_read_text_file(file, doc_id, max_chars)]


def read_sources(
    paths: Sequence[str | Path], max_chars: int = 2_000_000, columns: TableColumns | None = None
) -> ReadResult:
    """Read every path (file or folder). Missing paths are a UserError; bad content is a problem.
    ``columns`` names the text (title, id) columns of tables and saved datasets."""
    from hippo.index.readers.columns import TableColumns

    columns = columns or TableColumns()
    documents: list[Document] = []
    problems: list[ReadProblem] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise UserError(f"no such file or folder: {given}")
        if path.is_dir():
            files = _files_under(path)
            if not files:
                problems.append(ReadProblem(str(path), f"no {', '.join(SUPPORTED_SUFFIXES)} files in this folder"))
            root = path
        else:
            files = [path]
            root = path.parent
        for file in files:
            # a file's id is its path below the folder given, so re-indexing the edited file
            # replaces it instead of adding a second copy (records in JSON and tables carry their own)
            doc_id = file.relative_to(root).as_posix() if file != root else file.name
            for item in _read_one(file, doc_id, max_chars, columns):
                (problems if isinstance(item, ReadProblem) else documents).append(item)  # type: ignore[arg-type]
    return ReadResult(documents=documents, problems=problems)
