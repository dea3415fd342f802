"""Probe an OpenAI-compatible endpoint the way Hippo will use it — plain chat, JSON mode,
token log-probabilities (and in which shape), latency — and say which settings suit it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from hippo.llm.client import FINISH_OBJECT, LLMClient, endpoint_defaults, is_local
from hippo.llm.errors import LLMError, LLMUnavailable
from hippo.llm.json_repair import parse_json_reply


@dataclass
class Probe:
    name: str
    ok: bool
    detail: str
    seconds: float


@dataclass
class CheckReport:
    base_url: str
    model: str
    local: bool
    probes: list[Probe] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        return any(p.ok for p in self.probes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "base_url": self.base_url, "model": self.model, "local": self.local, "reachable": self.reachable,
            "probes": [{"name": p.name, "ok": p.ok, "detail": p.detail, "seconds": round(p.seconds, 2)}
                       for p in self.probes],
            "advice": self.advice,
        }


def check_endpoint(client: LLMClient) -> CheckReport:
    """Three small requests, none cached. An unreachable endpoint stops after the first."""
    report = CheckReport(client.base_url, client.model, is_local(client.base_url))

    def probe(name: str, run: Any) -> Any:
        t0 = time.perf_counter()
        try:
            value, detail, ok = run()
        except LLMUnavailable:
            raise
        except LLMError as exc:
            report.probes.append(Probe(name, False, str(exc), time.perf_counter() - t0))
            return None
        report.probes.append(Probe(name, ok, detail, time.perf_counter() - t0))
        return value

    ask = [{"role": "user", "content": "Reply with the single word: ready"}]
    try:
        probe("chat", lambda: _chat(client, ask))
    except LLMUnavailable as exc:
        report.probes.append(Probe("chat", False, str(exc), 0.0))
        report.advice.append("the endpoint is not usable: check HIPPO_LLM_BASE_URL, HIPPO_LLM_MODEL and the key")
        return report
    probe("json mode", lambda: _json(client))
    shape = probe("logprobs", lambda: _logprobs(client))
    concurrency, timeout = endpoint_defaults(client.base_url)
    chat_seconds = report.probes[0].seconds if report.probes[0].ok else 0.0
    if report.local:
        report.advice.append(
            f"a server on this machine: HIPPO_LLM_CONCURRENCY={concurrency} HIPPO_LLM_TIMEOUT={int(timeout)} "
            "(the defaults); raise the concurrency only if the server runs parallel slots (llama-server -np N, "
            "OLLAMA_NUM_PARALLEL, vLLM)"
        )
    if chat_seconds > timeout / 20:
        report.advice.append(f"a one-word reply took {chat_seconds:.1f} s: long extraction or synthesis replies "
                             f"may need HIPPO_LLM_TIMEOUT above {int(timeout)}")
    if shape is None:
        report.advice.append("no token log-probabilities: blind-spot scoring falls back to answer accuracy "
                             "(coarser, reported as such); name a trainee endpoint that returns them")
    if not any(p.ok for p in report.probes if p.name == "json mode"):
        report.advice.append("JSON mode failed: Hippo still asks for JSON in the prompt and repairs replies, "
                             "but expect more failed extractions")
    return report


def _chat(client: LLMClient, messages: list[dict[str, str]]) -> tuple[str, str, bool]:
    reply = client.chat(messages, max_tokens=8, use_cache=False)
    text = reply.text.strip()
    return text, f"replied {text[:40]!r}", bool(text)


def _json(client: LLMClient) -> tuple[Any, str, bool]:
    messages = [{"role": "user", "content": 'Reply with this JSON object and nothing else: {"ok": true, "n": 3}'}]
    reply = client.chat(messages, max_tokens=30, json_mode=True, use_cache=False)
    value = parse_json_reply(reply.text)
    ok = isinstance(value, dict) and value.get("n") == 3
    if reply.finish_reason == FINISH_OBJECT:
        how = "streamed, closed at the end of the object"
    else:
        how = "streamed to its end" if client.stream_json else "read whole (the server does not stream)"
    return value, f"valid JSON object; {how}" if ok else f"parsed {value!r}; {how}", ok


def _logprobs(client: LLMClient) -> tuple[str | None, str, bool]:
    messages = [{"role": "user", "content": "Is Paris the capital of France? Answer yes or no."}]
    reply = client.chat(messages, max_tokens=1, top_logprobs=5, use_cache=False)
    if not reply.logprobs:
        return None, "none returned", False
    top = ", ".join(f"{t!r} {lp:.2f}" for t, lp in reply.logprobs[0].top[:3])
    return reply.logprobs_shape, f"{reply.logprobs_shape} shape; top: {top}", True
