"""CSV/TSV (the standard library's csv module) and Parquet (pyarrow) tables: one document per row,
its text, title and id from the columns the user names (hippo.index.readers.columns). A file
without the text column is reported whole; a bad row is reported by its line or row number."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from hippo.index.ingest import ReadProblem
from hippo.index.readers.columns import TableColumns, rows_to_documents
from hippo.types import Document

PARQUET_BATCH_ROWS = 4096


def read_csv(path: Path, columns: TableColumns, max_chars: int) -> Iterable[Document | ReadProblem]:
    source = str(path)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        yield ReadProblem(source, f"not valid UTF-8 (byte {exc.start})")
        return
    if "\x00" in text[:8192]:
        yield ReadProblem(source, "binary file, not a CSV table")
        return
    delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    # a cell may be as long as a document may be
    csv.field_size_limit(max(max_chars + 1, csv.field_size_limit()))
    reader = csv.DictReader(text.splitlines(keepends=True), delimiter=delimiter)
    try:
        header = reader.fieldnames
    except csv.Error as exc:
        yield ReadProblem(source, f"malformed CSV header ({exc})")
        return
    if not header:
        yield ReadProblem(source, "empty table (no header row)")
        return
    resolved = columns.resolve(header, source)
    if isinstance(resolved, ReadProblem):
        yield resolved
        return

    any_row = False
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            any_row = True
            yield ReadProblem(f"{source}:{reader.line_num}", f"malformed CSV row ({exc})")
            continue
        any_row = True
        yield from rows_to_documents([(f"{source}:{reader.line_num}", row)], resolved, max_chars)
    if not any_row:
        yield ReadProblem(source, "empty table (a header and no rows)")


def read_parquet(path: Path, columns: TableColumns, max_chars: int) -> Iterable[Document | ReadProblem]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    source = str(path)
    try:
        table = pq.ParquetFile(path)
        names = table.schema_arrow.names
    except (pa.ArrowException, OSError) as exc:
        yield ReadProblem(source, f"not a readable Parquet file ({type(exc).__name__}: {exc})")
        return
    resolved = columns.resolve(names, source)
    if isinstance(resolved, ReadProblem):
        yield resolved
        return
    if table.metadata.num_rows == 0:
        yield ReadProblem(source, "empty table (no rows)")
        return
    wanted = sorted({c for c in resolved if c is not None})
    row_number = 0
    try:
        for batch in table.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=wanted):
            rows = []
            for row in batch.to_pylist():
                rows.append((f"{source}[row {row_number}]", row))
                row_number += 1
            yield from rows_to_documents(rows, resolved, max_chars)
    except (pa.ArrowException, OSError) as exc:
        yield ReadProblem(f"{source}[row {row_number}]", f"unreadable from here on ({type(exc).__name__}: {exc})")
