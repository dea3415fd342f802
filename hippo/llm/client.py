"""The one OpenAI-compatible LLM client: retries with backoff, a persistent reply cache, JSON replies
with repair, token log-probabilities, and bounded concurrency for batches.

Works with any server that speaks the chat-completions API (OpenAI, vLLM, Ollama, llama.cpp,
LM Studio …); only ``base_url``, ``model`` and, where needed, a key differ. The key is never logged
and never appears in an error message (server messages are scrubbed of it).
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import os
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import openai
from openai import OpenAI
from openai.types.chat import ChatCompletion

from hippo.index.extract.base import Progress
from hippo.llm.cache import ReplyCache, cache_key
from hippo.llm.errors import LLMError, LLMJSONError, LLMNotConfigured, LLMUnavailable, excerpt
from hippo.llm.json_repair import ObjectEnd, parse_json_reply

if TYPE_CHECKING:
    from hippo.config import Settings

__all__ = [
    "ChatReply",
    "LLMClient",
    "LLMError",
    "LLMJSONError",
    "LLMUnavailable",
    "TokenLogprob",
    "parse_json_reply",
]

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_OPENAI_URL = "https://api.openai.com/v1"
CACHE_FILE = "llm-replies.sqlite"
_MAX_RETRY_AFTER = 120.0  # seconds; a longer Retry-After is capped, the retry budget still applies
_FIRST_CONTACT_RETRIES = 1  # a never-reached endpoint that refuses connections is a setup problem
_DOWN_COOLDOWN = 5.0  # after "unreachable", fail fast for this long instead of re-dialling per item
LOCAL_DEFAULTS = (1, 300.0)  # (concurrency, timeout s) for a server on this machine
REMOTE_DEFAULTS = (8, 60.0)


def is_local(base_url: str) -> bool:
    host = (urlsplit(base_url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def endpoint_defaults(base_url: str, concurrency: int = 0, timeout: float = 0.0) -> tuple[int, float]:
    """Concurrency and timeout for an endpoint; a value > 0 is the user's and kept. A local server
    gets one request at a time and 300 s (llama.cpp's, Ollama's and llama-cpp-python's servers
    serve one request at a time by default and a 0.5B model on 2 cores writes ~16 tokens/s)."""
    auto_concurrency, auto_timeout = LOCAL_DEFAULTS if is_local(base_url) else REMOTE_DEFAULTS
    return (concurrency or auto_concurrency, timeout or auto_timeout)


@dataclass
class TokenLogprob:
    token: str
    logprob: float
    top: list[tuple[str, float]] = field(default_factory=list)


# the two shapes of chat log-probabilities servers send: OpenAI's ``logprobs.content[]`` and the
# legacy completions shape ``{"tokens", "token_logprobs", "top_logprobs": [{token: logprob}]}``
# that llama-cpp-python's server returns for chat
LOGPROBS_CHAT = "chat"
LOGPROBS_COMPLETIONS = "completions"


# the finish reason of a streamed JSON reply that Hippo closed at the end of its object
FINISH_OBJECT = "object"


@dataclass
class ChatReply:
    text: str
    logprobs: list[TokenLogprob] | None
    cached: bool
    logprobs_shape: str | None = None  # LOGPROBS_CHAT or LOGPROBS_COMPLETIONS when there were any
    finish_reason: str | None = None  # the server's ("stop", "length", ...) or FINISH_OBJECT


class _StreamCut(Exception):
    """A stream that ended before its reply did (the connection dropped mid-reply)."""


class LLMClient:
    """Talks to one model at one OpenAI-compatible endpoint."""

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str = "",
        *,
        timeout: float = 60,
        max_retries: int = 5,
        concurrency: int = 8,
        cache_path: str | None = None,
        backoff_base: float = 0.5,
        backoff_max: float = 30.0,
        stream_json: bool = True,
    ) -> None:
        if not base_url:
            raise LLMNotConfigured("no LLM endpoint configured: set HIPPO_LLM_BASE_URL (or OPENAI_API_KEY)")
        self.base_url = base_url.rstrip("/")
        self.model = model
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.concurrency = max(1, concurrency)
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self._key = api_key
        # JSON replies are streamed and closed once the object is complete; off after a server
        # showed it cannot stream (it rejected or ignored stream=true)
        self.stream_json = stream_json
        # retries are ours (they honour Retry-After and know a never-reached endpoint)
        self._client = OpenAI(base_url=self.base_url, api_key=api_key or "not-needed", timeout=timeout, max_retries=0)
        self._cache = ReplyCache(cache_path) if cache_path else None
        self._reached = False  # has the endpoint ever answered?
        self._down_until = 0.0
        self._down_reason = ""
        # how fresh replies ended (the server's finish reasons and FINISH_OBJECT): a count of
        # "length" says replies hit max_tokens, of FINISH_OBJECT how often streaming cut one short
        self.finish_reasons: Counter[str] = Counter()
        self._finish_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, role: str = "llm") -> LLMClient:
        """The client for role 'llm', 'synth' or 'trainee' (the last two fall back to llm_*).

        With no base URL but an API key (OPENAI_API_KEY), the official OpenAI endpoint is used;
        with neither, the LLM is not configured and LLMUnavailable is raised.
        """
        base_url, model, key = settings.endpoint(role)
        if not base_url:
            if not key:
                prefix = "HIPPO_LLM" if role == "llm" else f"HIPPO_{role.upper()}"
                raise LLMNotConfigured(
                    f"no {role} endpoint configured: set {prefix}_BASE_URL and {prefix}_MODEL "
                    "(or OPENAI_API_KEY for the OpenAI API)"
                )
            base_url = DEFAULT_OPENAI_URL
        concurrency, timeout = endpoint_defaults(base_url, settings.llm_concurrency, settings.llm_timeout)
        return cls(
            base_url,
            model,
            key,
            timeout=timeout,
            max_retries=settings.llm_max_retries,
            concurrency=concurrency,
            cache_path=os.path.join(settings.cache_dir, CACHE_FILE),
        )

    def __repr__(self) -> str:
        return f"LLMClient(base_url={self.base_url!r}, model={self.model!r})"

    # --- single requests ---------------------------------------------------------------------

    def chat(
        self,
        messages: list[dict[str, str]],
        *,
        temperature: float = 0.0,
        max_tokens: int | None = None,
        json_mode: bool = False,
        top_logprobs: int | None = None,
        use_cache: bool = True,
    ) -> ChatReply:
        """One chat completion. With ``use_cache`` a stored reply to the identical request is
        returned without a network call; a fresh reply is always stored (also when use_cache is
        False, so a later run can reuse it)."""
        request = {
            "messages": messages,
            "temperature": temperature,
            "max_tokens": max_tokens,
            "json_mode": json_mode,
            "top_logprobs": top_logprobs,
        }
        key = cache_key(self.model, request)
        if use_cache and self._cache is not None:
            stored = self._cache.get(key)
            if stored is not None:
                return _reply_from_cache(stored)
        reply = self._complete(messages, temperature, max_tokens, json_mode, top_logprobs)
        with self._finish_lock:
            self.finish_reasons[reply.finish_reason or "unknown"] += 1
        if self._cache is not None:
            self._cache.put(key, self.model, _reply_to_cache(reply))
        return reply

    def chat_json(self, messages: list[dict[str, str]], **kw: Any) -> Any:
        """A chat whose reply is JSON (JSON mode on unless ``json_mode=False``), parsed with repair.

        A reply that cannot be read raises LLMJSONError and is dropped from the cache, so the next
        run asks again instead of replaying the broken reply.
        """
        kw.setdefault("json_mode", True)
        reply = self.chat(messages, **kw)
        try:
            return parse_json_reply(reply.text)
        except LLMJSONError:
            self.forget(messages, **kw)
            raise

    def forget(self, messages: list[dict[str, str]], **kw: Any) -> None:
        """Drop the cached reply to this request (same arguments as chat): for a reply the caller
        found unusable, so the next run asks again instead of replaying it."""
        if self._cache is not None:
            self._cache.delete(cache_key(self.model, _request_of(messages, kw)))

    # --- batches ---------------------------------------------------------------------------

    def map(
        self,
        fn: Callable[[T], R],
        items: Sequence[T],
        progress: Progress | None = None,
        stage: str = "llm",
    ) -> list[R | Exception]:
        """fn over items with at most ``concurrency`` in flight; results in input order. An item
        whose fn raised gets its exception in its slot — one failure never stops the batch."""
        total = len(items)
        results: list[R | Exception] = [LLMError("not run")] * total
        if progress:
            progress(stage, 0, total)
        if total == 0:
            return results
        done = 0
        with ThreadPoolExecutor(max_workers=min(self.concurrency, total), thread_name_prefix="hippo-llm") as pool:
            futures = {pool.submit(fn, item): i for i, item in enumerate(items)}
            for future in as_completed(futures):
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception as exc:  # noqa: BLE001 - the item's failure is its result
                    results[i] = exc
                done += 1
                if progress:
                    progress(stage, done, total)
        return results

    def close(self) -> None:
        self._client.close()
        if self._cache is not None:
            self._cache.close()

    # --- the request with retries ------------------------------------------------------------

    def _complete(
        self,
        messages: list[dict[str, str]],
        temperature: float,
        max_tokens: int | None,
        json_mode: bool,
        top_logprobs: int | None,
    ) -> ChatReply:
        if time.monotonic() < self._down_until:
            raise LLMUnavailable(self._down_reason)
        kwargs: dict[str, Any] = {"model": self.model, "messages": messages, "temperature": temperature}
        if max_tokens is not None:
            kwargs["max_tokens"] = max_tokens
        if json_mode:
            kwargs["response_format"] = {"type": "json_object"}
        if top_logprobs is not None:
            kwargs["logprobs"] = True
            kwargs["top_logprobs"] = top_logprobs
        # Streaming is only for JSON replies without log-probabilities: they are the ones that end
        # with a closing bracket, and stopping there is the point (see _stream_until_object).
        stream = self.stream_json and json_mode and top_logprobs is None
        stream_rejected = False
        attempt = 0
        while True:
            try:
                if stream:
                    reply = self._stream_until_object(kwargs)
                else:
                    reply = _reply_from_completion(self._client.chat.completions.create(**kwargs))
                    if stream_rejected:
                        log.info("%s cannot stream; JSON replies are read whole from now on", self.base_url)
                        self.stream_json = False
                self._reached = True
                return reply
            except _StreamCut as exc:
                # llama-cpp-python's server (unless started with --interrupt_requests false) cuts a
                # stream when another request arrives; a plain request waits its turn instead
                self._reached = True
                log.info("LLM %s: stream cut short (%s); asking again without streaming", self.base_url, exc)
                stream = False
                continue
            except openai.APIConnectionError as exc:  # includes timeouts
                self._note_connection_failure(exc, attempt)
                delay = self._backoff(attempt)
                what = "timed out" if isinstance(exc, openai.APITimeoutError) else "connection failed"
            except openai.APIStatusError as exc:
                self._reached = True
                json_mode_refused = "response_format" in kwargs and "response_format" in _message(exc)
                if exc.status_code in (400, 422) and stream and not json_mode_refused:
                    # a server that cannot stream may reject the field: the same request, not streamed
                    stream, stream_rejected = False, True
                    continue
                stream_rejected = False  # the plain request failed too: streaming was not the problem
                if exc.status_code == 400 and "response_format" in kwargs:
                    # servers without JSON mode reject the field; the prompt still asks for JSON
                    log.info("%s rejected JSON mode; retrying without it", self.base_url)
                    kwargs.pop("response_format")
                    continue
                self._raise_if_final(exc)
                delay = max(self._backoff(attempt), _retry_after(exc) or 0.0)
                what = f"HTTP {exc.status_code}"
            except (openai.APIResponseValidationError, ValueError) as exc:  # a body that is not JSON
                self._reached = True
                delay = self._backoff(attempt)
                what = f"malformed response ({self._scrub(str(exc))})"
            except (openai.APIError, LLMError) as exc:  # a 200 that is not a completion, and kin
                self._reached = True
                delay = self._backoff(attempt)
                what = f"bad response ({self._scrub(str(exc))})"
            if attempt >= self.max_retries:
                raise LLMError(f"LLM request to {self.base_url} failed after {attempt + 1} attempts: {what}")
            log.info("LLM %s: %s; retry %d/%d in %.1fs", self.base_url, what, attempt + 1, self.max_retries, delay)
            time.sleep(delay)
            attempt += 1

    def _stream_until_object(self, kwargs: dict[str, Any]) -> ChatReply:
        """A streamed JSON reply, closed as soon as its top-level object is complete.

        A grammar-constrained model (llama.cpp's JSON mode) can follow a finished object with
        whitespace up to max_tokens: one real reply spent 1,024 tokens so. Closing the stream closes
        the connection, and llama-cpp-python's server (0.2.60: get_event_publisher checks
        request.is_disconnected() after every chunk) stops generating then: measured on the local
        server, a request sent right after an early close started at once, while one sent after a
        non-streamed request abandoned by its client waited for it to reach max_tokens (52 s for
        500 tokens). llama.cpp's llama-server also cancels a request whose client has gone. The
        ``timeout`` bounds the whole reply, as it does a plain request. A server that answers
        stream=true with a plain completion is read as one.
        """
        deadline = time.monotonic() + self.timeout
        stream = self._client.chat.completions.create(**kwargs, stream=True)
        try:
            if "text/event-stream" not in stream.response.headers.get("content-type", ""):
                # the server ignored stream=true: its body is an ordinary completion
                stream.response.read()
                self.stream_json = False
                log.info("%s does not stream; JSON replies are read whole from now on", self.base_url)
                return _reply_from_completion(ChatCompletion.model_validate(stream.response.json()))
            watcher = ObjectEnd()
            parts: list[str] = []
            finish: str | None = None
            got_chunk = False
            try:
                for chunk in stream:
                    got_chunk = True
                    for choice in chunk.choices[:1]:
                        piece = (choice.delta.content or "") if choice.delta is not None else ""
                        end = watcher.feed(piece)
                        if end is not None:
                            parts.append(piece[:end])
                            return ChatReply("".join(parts), None, cached=False, finish_reason=FINISH_OBJECT)
                        parts.append(piece)
                        finish = choice.finish_reason or finish
                    if time.monotonic() > deadline:
                        raise openai.APITimeoutError(request=stream.response.request)
            except openai.APITimeoutError:
                raise
            except openai.APIConnectionError as exc:
                if not got_chunk:
                    raise
                raise _StreamCut(_cause(exc)) from None
            if finish is None and not watcher.done:
                raise _StreamCut("the stream ended without a finish reason")
            return ChatReply("".join(parts), None, cached=False, finish_reason=finish)
        finally:
            stream.close()

    def _note_connection_failure(self, exc: openai.APIConnectionError, attempt: int) -> None:
        timed_out = isinstance(exc, openai.APITimeoutError)
        budget = self.max_retries if self._reached or timed_out else min(self.max_retries, _FIRST_CONTACT_RETRIES)
        if attempt < budget:
            return
        if timed_out:
            return  # the retry loop reports it as a plain failure: the server is there, just slow
        self._down_reason = f"LLM endpoint {self.base_url} is unreachable ({_cause(exc)})"
        self._down_until = time.monotonic() + _DOWN_COOLDOWN
        raise LLMUnavailable(self._down_reason) from None

    def _raise_if_final(self, exc: openai.APIStatusError) -> None:
        status = exc.status_code
        if status in (401, 403):
            # the server's own message may quote part of the key: do not repeat it
            raise LLMUnavailable(f"LLM endpoint {self.base_url} refused the API key (HTTP {status})") from None
        if status == 404:
            raise LLMUnavailable(
                f"LLM endpoint {self.base_url} answered 404: wrong base URL, or no model named {self.model!r}"
            ) from None
        if status in (408, 409, 429) or status >= 500:
            return
        raise LLMError(f"LLM request to {self.base_url} failed: HTTP {status}: {self._scrub(_message(exc))}") from None

    def _backoff(self, attempt: int) -> float:
        ceiling = min(self.backoff_max, self.backoff_base * (2**attempt))
        return random.uniform(ceiling / 2, ceiling)  # jitter: parallel workers do not retry in step

    def _scrub(self, text: str) -> str:
        text = excerpt(text, 200)
        return text.replace(self._key, "***") if self._key else text


# --- helpers -------------------------------------------------------------------------------


def _request_of(messages: list[dict[str, str]], kw: dict[str, Any]) -> dict[str, Any]:
    return {
        "messages": messages,
        "temperature": kw.get("temperature", 0.0),
        "max_tokens": kw.get("max_tokens"),
        "json_mode": kw.get("json_mode", False),
        "top_logprobs": kw.get("top_logprobs"),
    }


def _reply_from_completion(completion: Any) -> ChatReply:
    choices = getattr(completion, "choices", None)
    if not choices:
        raise LLMError("the endpoint returned a completion without choices")
    choice = choices[0]
    text = (choice.message.content if choice.message is not None else None) or ""
    logprobs, shape = _read_logprobs(getattr(choice, "logprobs", None))
    finish = getattr(choice, "finish_reason", None)
    return ChatReply(text=text, logprobs=logprobs, cached=False, logprobs_shape=shape,
                     finish_reason=str(finish) if finish else None)


def _read_logprobs(raw: Any) -> tuple[list[TokenLogprob] | None, str | None]:
    """Token log-probabilities in either shape servers send (see LOGPROBS_*), or (None, None)."""
    if raw is None:
        return None, None
    content = getattr(raw, "content", None)
    if content:
        return [
            TokenLogprob(
                token=item.token,
                logprob=float(item.logprob),
                top=[(alt.token, float(alt.logprob)) for alt in (item.top_logprobs or [])],
            )
            for item in content
        ], LOGPROBS_CHAT
    # the SDK keeps fields it does not know as extras; a plain dict when it parsed nothing
    extra = raw if isinstance(raw, dict) else (getattr(raw, "model_extra", None) or {})
    tokens, values, tops = extra.get("tokens"), extra.get("token_logprobs"), extra.get("top_logprobs")
    if not isinstance(tokens, list) or not isinstance(values, list) or not tokens:
        return None, None
    out: list[TokenLogprob] = []
    for i, (token, value) in enumerate(zip(tokens, values, strict=False)):
        if value is None:
            continue
        alternatives = tops[i] if isinstance(tops, list) and i < len(tops) and isinstance(tops[i], dict) else {}
        out.append(TokenLogprob(str(token), float(value),
                                [(str(t), float(lp)) for t, lp in alternatives.items() if lp is not None]))
    return (out, LOGPROBS_COMPLETIONS) if out else (None, None)


def _reply_to_cache(reply: ChatReply) -> dict[str, Any]:
    return {
        "text": reply.text,
        "logprobs": None if reply.logprobs is None else [asdict(lp) for lp in reply.logprobs],
        "logprobs_shape": reply.logprobs_shape,
        "finish_reason": reply.finish_reason,
    }


def _reply_from_cache(stored: dict[str, Any]) -> ChatReply:
    logprobs = stored.get("logprobs")
    return ChatReply(
        text=str(stored.get("text", "")),
        logprobs=None
        if logprobs is None
        else [
            TokenLogprob(lp["token"], float(lp["logprob"]), [(str(t), float(p)) for t, p in lp.get("top", [])])
            for lp in logprobs
        ],
        cached=True,
        logprobs_shape=stored.get("logprobs_shape"),
        finish_reason=stored.get("finish_reason"),
    )


def _retry_after(exc: openai.APIStatusError) -> float | None:
    headers = exc.response.headers if exc.response is not None else {}
    raw_ms = headers.get("retry-after-ms")
    if raw_ms:
        try:
            return min(_MAX_RETRY_AFTER, max(0.0, float(raw_ms) / 1000))
        except ValueError:
            pass
    raw = headers.get("retry-after")
    if not raw:
        return None
    try:
        return min(_MAX_RETRY_AFTER, max(0.0, float(raw)))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return min(_MAX_RETRY_AFTER, max(0.0, when.timestamp() - time.time()))


def _message(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict) and inner.get("message"):
            return str(inner["message"])
    return str(exc.message)


def _cause(exc: BaseException) -> str:
    root: BaseException = exc
    while root.__cause__ is not None:
        root = root.__cause__
    text = str(root) or type(root).__name__
    return excerpt(text, 120)
