"""Files of the formats hippo.index.readers read, made on the spot: PDF (matplotlib writes a real
text layer), HTML, CSV, Parquet and a saved Hugging Face dataset."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any


def write_pdf(path: Path, pages: Sequence[str], title: str = "") -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_pdf import PdfPages

    # TrueType (42) fonts keep the characters extractable as text
    with matplotlib.rc_context({"pdf.fonttype": 42}), PdfPages(path, metadata={"Title": title} if title else {}) as pdf:
        for text in pages:
            fig = plt.figure()
            fig.text(0.05, 0.5, text)
            pdf.savefig(fig)
            plt.close(fig)
    return path


def write_blank_pdf(path: Path, password: str = "") -> Path:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if password:
        writer.encrypt(password)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def write_parquet(path: Path, columns: dict[str, list[Any]]) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table(columns), path)
    return path


def save_dataset(path: Path, columns: dict[str, list[Any]], splits: Sequence[str] = ()) -> Path:
    import datasets

    datasets.disable_progress_bars()
    data = datasets.Dataset.from_dict(columns)
    if splits:
        datasets.DatasetDict({s: data for s in splits}).save_to_disk(str(path))
    else:
        data.save_to_disk(str(path))
    return path
