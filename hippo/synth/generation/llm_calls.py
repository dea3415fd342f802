"""One JSON request to the synthesiser, with failures turned into counted rejection reasons."""

from __future__ import annotations

from typing import Any

from hippo.llm.client import LLMClient, LLMError, LLMJSONError, LLMUnavailable
from hippo.synth.generation.prompts import SYSTEM
from hippo.synth.recipes.base import GenerationFailed
from hippo.synth.units import FactUnit


def ask_json(client: LLMClient, prompt: str, *, temperature: float = 0.7, max_tokens: int = 1024) -> dict[str, Any]:
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}]
    try:
        value = client.chat_json(messages, temperature=temperature, max_tokens=max_tokens)
    except LLMUnavailable:
        raise  # the endpoint is down: the run must stop, not reject every subgraph
    except LLMJSONError as exc:
        raise GenerationFailed("llm_bad_json", str(exc)) from exc
    except LLMError as exc:
        raise GenerationFailed("llm_error", str(exc)) from exc
    if not isinstance(value, dict):
        raise GenerationFailed("llm_bad_json", "reply is not a JSON object")
    return value


def text_field(value: dict[str, Any], name: str) -> str:
    raw = value.get(name)
    if not isinstance(raw, str) or not raw.strip():
        raise GenerationFailed("llm_bad_json", f"reply lacks {name!r}")
    return raw.strip()


def model_label(client: LLMClient) -> str:
    return f"llm:{client.model}"


def numbered_fact_pairs(reply: dict[str, Any], facts: list[FactUnit]) -> list[tuple[FactUnit, str, str]]:
    """The ``{"pairs": [{"fact": <number>, "question", "answer"}]}`` rows of a reply whose
    prompt numbered ``facts`` from 1, as (fact, question, answer); unusable rows are skipped."""
    out: list[tuple[FactUnit, str, str]] = []
    for row in reply.get("pairs") or []:
        if not isinstance(row, dict):
            continue
        try:
            fact = facts[int(row.get("fact", 0)) - 1]
        except (TypeError, ValueError, IndexError):
            continue
        out.append((fact, str(row.get("question") or "").strip(), str(row.get("answer") or "").strip()))
    return out
