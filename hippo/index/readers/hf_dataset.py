"""Datasets saved with Hugging Face ``datasets`` (``Dataset.save_to_disk`` or a DatasetDict's):
one document per row, columns as for tables. A folder is such a dataset when it holds
``state.json`` and ``dataset_info.json`` (one split) or ``dataset_dict.json`` (several)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from hippo.index.ingest import ReadProblem
from hippo.index.readers.columns import TableColumns, rows_to_documents
from hippo.types import Document

BATCH_ROWS = 1024


def is_saved_dataset(folder: Path) -> bool:
    return (folder / "dataset_dict.json").is_file() or (
        (folder / "state.json").is_file() and (folder / "dataset_info.json").is_file()
    )


def read_saved_dataset(folder: Path, columns: TableColumns, max_chars: int) -> Iterable[Document | ReadProblem]:
    source = str(folder)
    try:
        import datasets

        datasets.disable_progress_bars()
        loaded: Any = datasets.load_from_disk(str(folder), keep_in_memory=False)
    except Exception as exc:  # noqa: BLE001 - datasets raises many kinds for a damaged folder
        yield ReadProblem(source, f"not a readable saved dataset ({type(exc).__name__}: {exc})")
        return
    splits = dict(loaded) if isinstance(loaded, datasets.DatasetDict) else {"": loaded}
    for split, table in splits.items():
        where = f"{source}[{split}]" if split else source
        resolved = columns.resolve(list(table.column_names), where)
        if isinstance(resolved, ReadProblem):
            yield resolved
            continue
        if table.num_rows == 0:
            yield ReadProblem(where, "empty dataset (no rows)")
            continue
        wanted = sorted({c for c in resolved if c is not None})
        try:
            for start in range(0, table.num_rows, BATCH_ROWS):
                batch = table.select_columns(wanted)[start : start + BATCH_ROWS]
                rows = [(f"{where}[row {start + i}]", {c: batch[c][i] for c in wanted})
                        for i in range(len(batch[wanted[0]]))]
                yield from rows_to_documents(rows, resolved, max_chars)
        except Exception as exc:  # noqa: BLE001 - a damaged arrow file surfaces as any of several errors
            yield ReadProblem(where, f"unreadable rows ({type(exc).__name__}: {exc})")
