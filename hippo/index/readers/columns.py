"""Which columns of a table (CSV, Parquet, a saved dataset) hold a document's text, title and id."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hippo.index.ingest import ReadProblem, make_document
from hippo.types import Document


@dataclass(frozen=True)
class TableColumns:
    """``text`` is required in every table; ``title`` and ``id`` are used when given (a table
    without a named one is reported), else taken from columns called "title" and "id" if present."""

    text: str = "text"
    title: str | None = None
    id: str | None = None

    def resolve(self, names: Sequence[str], source: str) -> tuple[str, str | None, str | None] | ReadProblem:
        """(text, title, id) column names for a table with these columns, or why it cannot be read."""
        for role, wanted in (("text", self.text), ("title", self.title), ("id", self.id)):
            if wanted is not None and wanted not in names:
                shown = ", ".join(repr(n) for n in list(names)[:20]) or "none"
                flag = f"--{role}-column"
                return ReadProblem(source, f"no {role} column {wanted!r} (columns: {shown}); name it with {flag}")
        title = self.title if self.title is not None else ("title" if "title" in names else None)
        doc_id = self.id if self.id is not None else ("id" if "id" in names else None)
        return self.text, title, doc_id


def rows_to_documents(
    rows: Iterable[tuple[str, Mapping[str, Any]]], columns: tuple[str, str | None, str | None], max_chars: int
) -> Iterable[Document | ReadProblem]:
    """Validate each (source, row) through make_document: a missing or empty text is that row's
    problem; titles and ids that are numbers become strings, missing ones are left to defaults."""
    text_col, title_col, id_col = columns
    for source, row in rows:
        raw: dict[str, Any] = {"text": row.get(text_col)}
        if title_col is not None and row.get(title_col) is not None:
            title = row[title_col]
            raw["title"] = str(title) if isinstance(title, (int, float)) and not isinstance(title, bool) else title
        if id_col is not None and row.get(id_col) not in (None, ""):
            raw["id"] = row[id_col]
        yield make_document(raw, source, max_chars)
