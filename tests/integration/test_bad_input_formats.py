"""PDF, HTML, CSV, Parquet and saved datasets through `hippo index` as a user runs it (real CLI
process, real readers, spaCy OpenIE, embeddings, SQLite): each bad file or row is one warning
naming it, everything else is indexed and can be queried."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from hippo.memory import Memory
from tests.support.documents import save_dataset, write_blank_pdf, write_parquet, write_pdf

REPO = Path(__file__).resolve().parents[2]


def _hippo(args: list[str], db: Path) -> subprocess.CompletedProcess[str]:
    env_cmd = [sys.executable, "-m", "hippo.interfaces.cli.main", *args, "--store", f"sqlite:///{db}"]
    return subprocess.run(env_cmd, capture_output=True, text=True, cwd=REPO, timeout=600)


def test_every_new_format_with_its_bad_inputs(tmp_path: Path) -> None:
    root = tmp_path / "inbox"
    root.mkdir()
    write_pdf(root / "orchard.pdf", ["Maren Tolvik wrote The Glass Orchard in Bergen."], title="The Glass Orchard")
    (root / "broken.pdf").write_bytes(b"%PDF-1.7\n%%EOF")
    write_blank_pdf(root / "scan.pdf")
    (root / "oslo.html").write_text("<html><head><title>Oslo</title></head><body><p>Oda Rønning lives in "
                                    "Oslo.</p><script>tracker()</script></body></html>", encoding="utf-8")
    (root / "garbled.html").write_bytes("<p>Caf\u00e9</p>".encode("latin-1"))
    (root / "people.csv").write_text("name,body\nKnut,Knut Hamsun was born in Lom.\nBlank,\n", encoding="utf-8")
    (root / "no_body.csv").write_text("name,text\nx,y\n", encoding="utf-8")
    write_parquet(root / "rivers.parquet", {"name": ["Nile"], "body": ["The Nile flows into the Mediterranean Sea."]})
    write_parquet(root / "empty.parquet", {"name": [], "body": []})
    write_parquet(root / "untitled.parquet", {"body": ["a table without the title column named"]})
    save_dataset(root / "saved", {"name": ["Ada"], "body": ["Ada Lovelace wrote notes on the Analytical Engine."]})
    db = tmp_path / "hippo.db"

    done = _hippo(["index", str(root), "--text-column", "body", "--title-column", "name", "--json"], db)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    warnings = [line for line in done.stderr.splitlines() if line.startswith("hippo: warning:")]
    expected = {
        "broken.pdf": "not a readable PDF",
        "scan.pdf": "no text layer",
        "garbled.html": "not valid UTF-8",
        "people.csv:3": "empty document",
        "no_body.csv": "no text column 'body'",
        "empty.parquet": "empty table",
        "untitled.parquet": "no title column 'name'",
    }
    for source, reason in expected.items():
        assert any(source in w and reason in w for w in warnings), (source, warnings)
    # the PDF and HTML have no name column: --title-column applies to tables and datasets only
    assert len(warnings) == len(expected), warnings
    assert report["documents_added"] == 5 and report["passages"] == 5

    memory = Memory(store=f"sqlite:///{db}")
    for question, source_text in (("Who wrote The Glass Orchard?", "Maren Tolvik"),
                                  ("Where does Oda Rønning live?", "Oslo"),
                                  ("Where was Knut Hamsun born?", "Lom"),
                                  ("Where does the Nile flow?", "Mediterranean"),
                                  ("Who wrote notes on the Analytical Engine?", "Ada Lovelace")):
        hits = memory.query(question, top_k=1, mode="dense").hits
        assert source_text in hits[0].text, (question, hits)

    memory.close()
    # indexing the same inbox again changes nothing: ids of files and rows are stable
    again = json.loads(_hippo(["index", str(root), "--text-column", "body", "--title-column", "name", "--json"],
                              db).stdout)
    assert again["documents_unchanged"] == 5 and again["documents_added"] == 0
