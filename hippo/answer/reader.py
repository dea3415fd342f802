"""The LLM reader: a short answer that cites the passages it used.

Citations are checked against the context: a label or passage id the model invents (a passage it
was never shown) is rejected and reported, never passed on as support. A refusal ("the passages do
not say") is an empty answer with ``refused`` set, not an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hippo.answer.prompts import label, reader_messages
from hippo.llm.client import LLMClient
from hippo.llm.errors import LLMJSONError
from hippo.llm.json_repair import parse_json_reply
from hippo.types import Hit

_REFUSAL = re.compile(
    r"^\s*(?:i\s+(?:do\s*n[o']?t|cannot|can't|am\s+unable\s+to)\s+(?:know|answer|tell|determine|find)|"
    r"i'?m\s+sorry|sorry\b|unknown\b|unanswerable|no\s+answer|none\b|n/?a\b|"
    r"(?:the\s+)?(?:passages?|context)\s+(?:does|do)\s+not|"
    r"not\s+(?:enough|sufficient)\s+information|insufficient\s+information|"
    r"(?:it\s+is\s+)?not\s+(?:mentioned|stated|specified|given|provided))",
    re.IGNORECASE,
)
_MARKER = re.compile(r"\[\s*((?:P\d+|psg-[0-9a-f]+)(?:\s*,\s*(?:P\d+|psg-[0-9a-f]+))*)\s*\]", re.IGNORECASE)


@dataclass
class ReaderReply:
    answer: str
    citations: list[str]  # passage ids of the context, in the order cited
    rejected: list[str] = field(default_factory=list)  # cited names that are no passage of the context
    refused: bool = False
    need: str = ""
    reason: str = ""
    raw: str = ""


class LLMReader:
    name = "llm"

    def __init__(self, client: LLMClient, max_tokens: int = 300) -> None:
        self.client = client
        self.max_tokens = max_tokens

    def read(self, question: str, hits: list[Hit], *, multi_step: bool = False,
             needs: list[str] | None = None) -> ReaderReply:
        messages = reader_messages(question, hits, multi_step=multi_step, needs=needs)
        reply = self.client.chat(messages, temperature=0.0, max_tokens=self.max_tokens, json_mode=True)
        return parse_reply(reply.text, hits)


def parse_reply(text: str, hits: list[Hit]) -> ReaderReply:
    """The reader's reply as answer + validated citations; JSON preferred, plain text accepted."""
    try:
        data: Any = parse_json_reply(text)
    except LLMJSONError:
        data = None
    if isinstance(data, dict):
        answer = _text(data.get("answer"))
        cited = data.get("citations") or []
        cited = [cited] if isinstance(cited, str) else [str(c) for c in cited if c is not None]
        need = _text(data.get("need"))
        reason = _text(data.get("reason"))
    else:  # plain text: "Ostravel [P2]"
        cited = [name for group in _MARKER.findall(text) for name in group.split(",")]
        answer = " ".join(_MARKER.sub(" ", text).split()).strip(" .")
        need, reason = "", ""
    citations, rejected = resolve_citations(cited, hits)
    refused = not answer or bool(_REFUSAL.match(answer))
    if refused:
        reason = reason or answer
        answer = ""
    return ReaderReply(answer, citations, rejected, refused, need, reason, raw=text)


def resolve_citations(cited: list[str], hits: list[Hit]) -> tuple[list[str], list[str]]:
    """(passage ids of the context that were cited, cited names that match no passage shown)."""
    by_name = {label(i).lower(): h.passage_id for i, h in enumerate(hits)}
    by_name.update({h.passage_id.lower(): h.passage_id for h in hits})
    ok: list[str] = []
    rejected: list[str] = []
    for raw in cited:
        name = raw.strip().strip("[]()").strip().lower()
        if not name:
            continue
        pid = by_name.get(name)
        if pid is None:
            rejected.append(raw.strip())
        elif pid not in ok:
            ok.append(pid)
    return ok, rejected


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value if v is not None).strip()
    return str(value).strip()
