"""Loading benchmark datasets: the shared format (``corpus.json`` + ``questions.json``) and the
formats HippoRAG publishes (``NAME.json`` questions with supporting paragraphs or facts, plus
``NAME_corpus.json``), so a user can point the benchmark at a set they downloaded themselves."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hippo.errors import UserError
from hippo.text import normalize_passage, stable_id


@dataclass(frozen=True)
class CorpusEntry:
    """One passage of the corpus as the dataset gives it; indexed as one Hippo document."""

    doc_id: str
    title: str
    text: str


@dataclass(frozen=True)
class Gold:
    title: str
    text: str | None


@dataclass
class Question:
    id: str
    question: str
    answers: list[str]
    gold: list[Gold]
    gold_match: str = "passage"  # "passage" | "title"


@dataclass
class Dataset:
    name: str
    corpus: list[CorpusEntry]
    questions: list[Question]
    source_format: str = "shared"
    notes: list[str] = field(default_factory=list)

    def corpus_hash(self) -> str:
        """Stable over the corpus content (order included), so a cache keyed by it is exact."""
        h = hashlib.sha256()
        for entry in self.corpus:
            h.update(entry.doc_id.encode())
            h.update(b"\n")
        return h.hexdigest()


def entry_doc_id(title: str, text: str) -> str:
    """Document id of a corpus entry: a hash of its normalised title and text."""
    return stable_id("doc", normalize_passage(title) + "\n" + normalize_passage(text))


def load_dataset(data: str | Path, corpus: str | Path | None = None, limit: int | None = None) -> Dataset:
    """Read a dataset from a folder or a questions file; ``corpus`` overrides where the corpus
    comes from (a folder holding ``corpus.json`` or a corpus file)."""
    data_path = Path(data)
    if not data_path.exists():
        raise UserError(f"dataset not found: {data_path}")
    questions_file, corpus_file, fmt = _locate(data_path)
    if corpus is not None:
        corpus_file = _corpus_file(Path(corpus))
    if corpus_file is None:
        raise UserError(f"no corpus found for {data_path}: give --corpus DIR")
    raw_questions = _read_json(questions_file)
    if not isinstance(raw_questions, list) or not raw_questions:
        raise UserError(f"{questions_file}: expected a non-empty JSON list of questions")
    if fmt == "shared" and not all(isinstance(q, dict) and "gold" in q for q in raw_questions):
        fmt = "hipporag"
    questions = [
        _shared_question(q, i) if fmt == "shared" else _hipporag_question(q, i)
        for i, q in enumerate(raw_questions)
    ]
    if limit is not None:
        questions = questions[:limit]
    entries = _read_corpus(corpus_file)
    if not entries:
        raise UserError(f"{corpus_file}: the corpus is empty")
    # a shared-format set is named by its folder, a HippoRAG one by its questions file
    name = questions_file.stem if questions_file.name != "questions.json" else questions_file.parent.name
    return Dataset(name=name, corpus=entries, questions=questions, source_format=fmt)


# --- locating files ---------------------------------------------------------------------------


def _locate(path: Path) -> tuple[Path, Path | None, str]:
    if path.is_file():
        sibling = path.with_name(f"{path.stem}_corpus.json")
        shared = path.with_name("corpus.json")
        corpus = sibling if sibling.exists() else shared if shared.exists() else None
        return path, corpus, "shared" if path.name == "questions.json" else "hipporag"
    if (path / "questions.json").exists():
        corpus_file = path / "corpus.json"
        return path / "questions.json", corpus_file if corpus_file.exists() else None, "shared"
    corpora = sorted(path.glob("*_corpus.json"))
    for corpus_file in corpora:
        questions = corpus_file.with_name(corpus_file.name.removesuffix("_corpus.json") + ".json")
        if questions.exists():
            return questions, corpus_file, "hipporag"
    raise UserError(
        f"{path}: no questions.json (shared format) and no NAME.json + NAME_corpus.json pair "
        "(HippoRAG format)"
    )


def _corpus_file(path: Path) -> Path:
    if path.is_file():
        return path
    for candidate in [path / "corpus.json", *sorted(path.glob("*_corpus.json"))]:
        if candidate.exists():
            return candidate
    raise UserError(f"no corpus.json or *_corpus.json in {path}")


def _read_json(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, json.JSONDecodeError) as exc:
        raise UserError(f"cannot read {path}: {exc}") from exc


# --- corpus -----------------------------------------------------------------------------------


def read_corpus(path: str | Path) -> list[CorpusEntry]:
    """The corpus of a folder (``corpus.json`` or ``*_corpus.json``) or of a corpus file."""
    return _read_corpus(_corpus_file(Path(path)))


def _read_corpus(path: Path) -> list[CorpusEntry]:
    raw = _read_json(path)
    pairs: list[tuple[str, str]] = []
    if isinstance(raw, dict):
        # HippoRAG 1 style: {title: text} or {title: [sentences]}
        for title, text in raw.items():
            pairs.append((str(title), _join_text(text)))
    elif isinstance(raw, list):
        for i, item in enumerate(raw):
            if isinstance(item, str):
                pairs.append(("", item))
            elif isinstance(item, dict):
                text = item.get("text", item.get("paragraph_text", item.get("contents")))
                if text is None:
                    raise UserError(f"{path}: corpus entry {i} has no text")
                pairs.append((str(item.get("title") or ""), _join_text(text)))
            else:
                raise UserError(f"{path}: corpus entry {i} is neither an object nor a string")
    else:
        raise UserError(f"{path}: expected a JSON list of {{title, text}}")
    seen: set[str] = set()
    entries: list[CorpusEntry] = []
    for title, text in pairs:
        if not text.strip():
            continue
        doc_id = entry_doc_id(title, text)
        if doc_id in seen:  # repeated passages are one document; ranking them twice means nothing
            continue
        seen.add(doc_id)
        entries.append(CorpusEntry(doc_id=doc_id, title=title, text=text))
    return entries


def _join_text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(str(v).strip() for v in value)
    return str(value)


# --- questions --------------------------------------------------------------------------------


def _answers(raw: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for key in ("answers", "answer", "possible_answers", "answer_aliases"):
        value = raw.get(key)
        if value is None:
            continue
        if isinstance(value, str) and value.startswith("[") and key == "possible_answers":
            try:  # PopQA keeps its answer list as a JSON string
                value = json.loads(value)
            except json.JSONDecodeError:
                pass
        values = value if isinstance(value, list) else [value]
        out.extend(str(v) for v in values if str(v) not in out)
    return out


def _question_id(raw: dict[str, Any], index: int) -> str:
    return str(raw.get("id", raw.get("_id", raw.get("idx", index))))


def _shared_question(raw: dict[str, Any], index: int) -> Question:
    if "question" not in raw:
        raise UserError(f"question {index} has no 'question' field")
    gold_match = str(raw.get("gold_match", "passage"))
    if gold_match not in ("passage", "title"):
        raise UserError(f"question {index}: gold_match must be passage or title, not {gold_match!r}")
    gold = [Gold(title=str(g.get("title") or ""), text=g.get("text")) for g in raw.get("gold", [])]
    return Question(
        id=_question_id(raw, index),
        question=str(raw["question"]),
        answers=_answers(raw),
        gold=gold,
        gold_match=gold_match,
    )


def _hipporag_question(raw: dict[str, Any], index: int) -> Question:
    """Gold passages the way HippoRAG's evaluation derives them, per source dataset shape."""
    if "question" not in raw:
        raise UserError(f"question {index} has no 'question' field")
    gold: list[Gold] = []
    if "supporting_facts" in raw and "context" in raw:
        # HotpotQA / 2Wiki: gold = the context paragraphs whose titles the supporting facts name
        titles = {str(sf[0]) for sf in raw["supporting_facts"]}
        for title, sentences in raw["context"]:
            if title in titles:
                gold.append(Gold(title=str(title), text=_join_text(sentences)))
    elif "paragraphs" in raw or "contexts" in raw:
        # MuSiQue style: paragraphs flagged is_supporting. HippoRAG 2's PopQA and NQ files list only
        # the gold paragraphs, unflagged: like HippoRAG's evaluation, a paragraph without the flag is gold
        unflagged_is_gold = "paragraphs" in raw
        for item in raw.get("paragraphs", raw.get("contexts", [])):
            if item.get("is_supporting", unflagged_is_gold):
                text = item.get("text", item.get("paragraph_text", ""))
                gold.append(Gold(title=str(item.get("title") or ""), text=_join_text(text)))
    return Question(
        id=_question_id(raw, index),
        question=str(raw["question"]),
        answers=_answers(raw),
        gold=gold,
        gold_match="passage",
    )
