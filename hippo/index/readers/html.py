"""HTML documents through selectolax (the Lexbor parser): visible text of the body with one
paragraph per block element, the title from <title> (else the first <h1>, else the file name);
scripts, styles and other invisible parts are dropped."""

from __future__ import annotations

import re
from pathlib import Path

from hippo.index.ingest import ReadProblem, make_document
from hippo.types import Document

INVISIBLE = ("script", "style", "noscript", "template", "svg", "head", "iframe", "object")
BLOCKS = ("p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "pre",
          "blockquote", "section", "article", "header", "footer", "dt", "dd", "figcaption", "hr")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            return None
    return None


def read_html(path: Path, doc_id: str, max_chars: int) -> Document | ReadProblem:
    from selectolax.lexbor import LexborHTMLParser

    source = str(path)
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        return ReadProblem(source, "binary file, not HTML")
    html = _decode(data)
    if html is None:
        return ReadProblem(source, "not valid UTF-8 and no usable <meta charset>")
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title") or tree.css_first("h1")
    title = " ".join(title_node.text().split()) if title_node is not None else ""
    tree.strip_tags(list(INVISIBLE))
    root = tree.body or tree.root
    if root is None:
        return ReadProblem(source, "empty document (no HTML body)")
    for tag in BLOCKS:
        for node in root.css(tag):
            node.insert_after("\n")
    lines = (" ".join(line.split()) for line in root.text(separator="").splitlines())
    text = "\n".join(line for line in lines if line)
    return make_document({"id": doc_id, "title": title or path.stem, "text": text}, source, max_chars)
