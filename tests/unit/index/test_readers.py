"""Readers of PDF, HTML, CSV/TSV, Parquet and saved Hugging Face datasets: good files become
documents, each bad one (or bad row) becomes a problem naming it, and the rest is still read."""

from __future__ import annotations

from pathlib import Path

import pytest

from hippo.index.ingest import read_sources
from hippo.index.readers.columns import TableColumns
from tests.support.documents import save_dataset, write_blank_pdf, write_parquet, write_pdf


def _problems(result: object) -> str:
    return "\n".join(str(p) for p in result.problems)  # type: ignore[attr-defined]


def test_pdf_text_title_and_bad_pdfs(tmp_path: Path) -> None:
    write_pdf(tmp_path / "notes.pdf", ["Maren Tolvik wrote The Glass Orchard.", "Oda Rønning lives in Oslo."],
              title="Orchard Notes")
    write_pdf(tmp_path / "untitled.pdf", ["Bergen is rainy."])
    (tmp_path / "corrupt.pdf").write_bytes(b"%PDF-1.4\n1 0 obj garbage\n%%EOF")
    (tmp_path / "truncated.pdf").write_bytes((tmp_path / "notes.pdf").read_bytes()[:300])
    write_blank_pdf(tmp_path / "scan.pdf")
    write_blank_pdf(tmp_path / "locked.pdf", password="secret")
    result = read_sources([tmp_path])
    docs = {d.id: d for d in result.documents}
    assert set(docs) == {"notes.pdf", "untitled.pdf"}
    assert docs["notes.pdf"].title == "Orchard Notes" and docs["untitled.pdf"].title == "untitled"
    assert docs["notes.pdf"].text == "Maren Tolvik wrote The Glass Orchard.\n\nOda Rønning lives in Oslo."
    problems = _problems(result)
    assert "corrupt.pdf: not a readable PDF" in problems
    assert "truncated.pdf: not a readable PDF" in problems
    assert "scan.pdf: PDF of 1 pages has no text layer" in problems
    assert "locked.pdf: encrypted PDF" in problems
    assert len(result.problems) == 4


def test_pdf_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    write_pdf(tmp_path / "long.pdf", ["word " * 30] * 3)
    result = read_sources([tmp_path / "long.pdf"], max_chars=100)
    assert not result.documents and "exceeds the limit" in _problems(result)


def test_html_visible_text_in_paragraphs(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<html><head><title>The  Orchard</title><style>p{color:red}</style>"
        "<script>var hidden = 'never indexed';</script></head><body>"
        "<h1>Heading</h1><p>Maren <b>Tolvik</b> wrote it.</p><div>In Bergen.</div>"
        "<noscript>no script text</noscript></body></html>", encoding="utf-8")
    (tmp_path / "latin.htm").write_bytes(
        '<html><head><meta charset="iso-8859-1"></head><body><p>Café in Zürich</p></body></html>'.encode("latin-1"))
    (tmp_path / "undeclared.html").write_bytes("<p>Caf\u00e9</p>".encode("latin-1"))
    (tmp_path / "binary.html").write_bytes(b"\x00\x01<html>")
    (tmp_path / "empty.html").write_text("<html><body><script>x()</script></body></html>", encoding="utf-8")
    result = read_sources([tmp_path])
    docs = {d.id: d for d in result.documents}
    assert set(docs) == {"page.html", "latin.htm"}
    assert docs["page.html"].title == "The Orchard"
    assert docs["page.html"].text == "Heading\nMaren Tolvik wrote it.\nIn Bergen."
    assert docs["latin.htm"].text == "Café in Zürich" and docs["latin.htm"].title == "latin"
    problems = _problems(result)
    assert "undeclared.html: not valid UTF-8 and no usable <meta charset>" in problems
    assert "binary.html: binary file" in problems
    assert "empty.html: empty document" in problems


def test_csv_and_tsv_columns_named_by_the_user(tmp_path: Path) -> None:
    (tmp_path / "rows.csv").write_text(
        'key,headline,body\nr1,Orchard,"Maren Tolvik wrote The Glass Orchard,\nin Bergen."\nr2,Empty,   \n'
        "r3,Oslo,Oda Rønning lives in Oslo.\n", encoding="utf-8")
    (tmp_path / "rows.tsv").write_text("headline\tbody\nRain\tBergen is rainy.\n", encoding="utf-8")
    (tmp_path / "other.csv").write_text("name,value\nx,1\n", encoding="utf-8")
    (tmp_path / "header_only.csv").write_text("key,headline,body\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    columns = TableColumns(text="body", title="headline")
    result = read_sources([tmp_path], columns=columns)
    by_title = {d.title: d for d in result.documents}
    assert set(by_title) == {"Orchard", "Oslo", "Rain"}
    assert by_title["Orchard"].text == "Maren Tolvik wrote The Glass Orchard,\nin Bergen."
    problems = _problems(result)
    assert "rows.csv:4: empty document" in problems  # the line where row r2 ends
    assert "other.csv: no text column 'body' (columns: 'name', 'value'); name it with --text-column" in problems
    assert "header_only.csv: empty table (a header and no rows)" in problems
    assert "empty.csv: empty table (no header row)" in problems
    # ids: the id column when named, else one from the content, stable across reads
    keyed = read_sources([tmp_path / "rows.csv"], columns=TableColumns(text="body", id="key"))
    assert [d.id for d in keyed.documents] == ["r1", "r3"]
    again = read_sources([tmp_path / "rows.csv"], columns=columns)
    assert [d.id for d in again.documents] == [by_title["Orchard"].id, by_title["Oslo"].id]
    missing_title = read_sources([tmp_path / "rows.tsv"], columns=TableColumns(text="body", title="nope"))
    assert "no title column 'nope'" in _problems(missing_title) and not missing_title.documents


def test_parquet_rows_and_bad_parquet(tmp_path: Path) -> None:
    write_parquet(tmp_path / "docs.parquet", {"id": [1, 2, 3], "title": ["A", None, "C"],
                                                "text": ["Ada wrote notes.", "Bergen is rainy.", None]})
    write_parquet(tmp_path / "empty.parquet", {"text": []})
    write_parquet(tmp_path / "wrong.parquet", {"content": ["x"]})
    (tmp_path / "corrupt.parquet").write_bytes(b"PAR1 this is not really parquet")
    result = read_sources([tmp_path])
    assert [(d.id, d.title, d.text) for d in result.documents] == [("1", "A", "Ada wrote notes."),
                                                                  ("2", "", "Bergen is rainy.")]
    problems = _problems(result)
    assert "docs.parquet[row 2]: missing or non-string 'text'" in problems
    assert "empty.parquet: empty table (no rows)" in problems
    assert "wrong.parquet: no text column 'text' (columns: 'content')" in problems
    assert "corrupt.parquet: not a readable Parquet file" in problems
    named = read_sources([tmp_path / "wrong.parquet"], columns=TableColumns(text="content"))
    assert [d.text for d in named.documents] == ["x"]


def test_saved_datasets_read_whole_and_bad_ones_reported(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    root.mkdir()
    save_dataset(root / "single", {"question": ["q1", "q2"], "passage": ["Ada wrote notes.", ""]})
    save_dataset(root / "splits", {"passage": ["Bergen is rainy."], "title": ["Bergen"]}, splits=["train", "test"])
    save_dataset(root / "empty", {"passage": []})
    broken = save_dataset(root / "broken", {"passage": ["x"]})
    for arrow in broken.glob("*.arrow"):
        arrow.write_bytes(b"not arrow")
    (root / "loose.txt").write_text("A loose text file.", encoding="utf-8")
    result = read_sources([root], columns=TableColumns(text="passage"))
    texts = sorted((d.title, d.text) for d in result.documents)
    assert texts == [("", "Ada wrote notes."), ("Bergen", "Bergen is rainy."), ("Bergen", "Bergen is rainy."),
                     ("loose", "A loose text file.")]
    # the same row in two splits is one document (same content, same id): the reader does not care
    assert sum(d.text == "Bergen is rainy." for d in result.documents) == 2
    problems = _problems(result)
    assert "single[row 1]: empty document" in problems
    # datasets cannot load what it saved for an empty table; either way it is reported
    assert "empty: empty dataset (no rows)" in problems or "empty: not a readable saved dataset" in problems
    assert "broken: not a readable saved dataset" in problems or "broken: unreadable rows" in problems
    assert not any("dataset_info.json" in str(p) or "state.json" in str(p) for p in result.problems)
    direct = read_sources([root / "splits"], columns=TableColumns(text="passage"))
    assert len(direct.documents) == 2 and not direct.problems
    missing = read_sources([root / "single"])
    assert "no text column 'text' (columns: 'question', 'passage')" in _problems(missing)


@pytest.mark.parametrize("name", ["x.pdf", "x.html", "x.csv", "x.parquet"])
def test_an_unreadable_file_never_stops_the_others(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"\xff\xfe\x00garbage")
    (tmp_path / "good.txt").write_text("Still indexed.", encoding="utf-8")
    result = read_sources([tmp_path])
    assert [d.id for d in result.documents] == ["good.txt"]
    assert len(result.problems) == 1 and result.problems[0].source.endswith(name)
