"""Prompts of the LLM reader. Passages are labelled P1, P2 … (short labels are copied more
reliably than 36-character ids); the reader maps labels back to passage ids."""

from __future__ import annotations

from hippo.types import Hit

READER_SYSTEM = (
    "You answer a question using only the numbered passages you are given. "
    "Reply with one JSON object and nothing else: "
    '{"answer": "<the answer>", "citations": ["P1"]}. '
    "The answer is as short as possible: a name, a date, a number or a short phrase, not a sentence. "
    "citations lists the labels of the passages that state the facts you used. "
    'If the passages do not contain the answer, reply {"answer": null, "citations": [], "reason": "<why>"}.'
)

STEP_SYSTEM = (
    "You answer a question using only the numbered passages you are given; more passages can be "
    "retrieved for you. Reply with one JSON object and nothing else. "
    'When the passages are enough: {"answer": "<the answer>", "citations": ["P1"], "need": null}. '
    'When they are not: {"answer": null, "citations": ["<labels of passages that helped so far>"], '
    '"need": "<a short search query for the one fact you still need, naming what you have learned>"}. '
    "The answer is as short as possible: a name, a date, a number or a short phrase, not a sentence."
)


def label(index: int) -> str:
    return f"P{index + 1}"


def context_block(hits: list[Hit]) -> str:
    parts = []
    for i, hit in enumerate(hits):
        title = f" {hit.title}" if hit.title else ""
        parts.append(f"[{label(i)}]{title}\n{hit.text.strip()}")
    return "\n\n".join(parts)


def reader_messages(question: str, hits: list[Hit], *, multi_step: bool = False,
                    needs: list[str] | None = None) -> list[dict[str, str]]:
    user = f"Passages:\n\n{context_block(hits)}\n\nQuestion: {question.strip()}"
    if needs:
        user += "\n\nAlready looked up: " + "; ".join(needs)
    return [
        {"role": "system", "content": STEP_SYSTEM if multi_step else READER_SYSTEM},
        {"role": "user", "content": user},
    ]
