"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests: the code under test talks to it
through the same client a user runs, over a real socket.

Behaviour is programmed per test with a ``responder``: a callable that receives the request JSON
of ``POST /v1/chat/completions`` and returns

- a string: the assistant's reply text;
- a :class:`Reply`: text plus token log-probabilities, a status, a delay, headers, or a raw
  (possibly malformed) body;
- an int: an HTTP error status with an OpenAI-shaped error body (429 gets ``Retry-After: 0``
  unless the test says otherwise).

A request with ``"stream": true`` is answered with server-sent events, one chunk per piece of
the reply (``Reply.chunks``, else its words), ``finish_reason`` and ``[DONE]`` — unless the Reply
says the server ignores or rejects streaming, or cuts the stream short.

Every request is recorded (``server.requests`` holds the JSON bodies, ``server.request_headers``
the headers) so tests can assert what was sent — and what was not; ``server.chunks_sent`` holds,
per streamed reply, how many content chunks went out before the reply ended or the client left.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A token's log-probabilities: (token, [(alternative, logprob), ...]) — the token's own logprob is
# taken from its entry among the alternatives (else the best alternative's) — or
# (token, logprob, [(alternative, logprob), ...]) to give it explicitly.
LogprobSpec = tuple[str, list[tuple[str, float]]] | tuple[str, float, list[tuple[str, float]]]


@dataclass
class Reply:
    text: str = ""
    logprobs: list[LogprobSpec] | None = None
    status: int = 200
    delay: float = 0.0  # seconds to wait before answering (longer than the client's timeout = a timeout)
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None  # sent verbatim instead of a completion (malformed responses)
    finish_reason: str | None = "stop"  # None: a stream that ends without one
    # "chat" = OpenAI's logprobs.content[]; "completions" = the legacy shape llama-cpp-python sends
    logprobs_shape: str = "chat"
    # streamed replies: the content pieces (default: the text's words), a pause before each,
    # "sse" (stream) / "plain" (ignore stream=true) / "reject" (400 to it), and a cut after N pieces
    chunks: list[str] | None = None
    chunk_delay: float = 0.0
    streaming: str = "sse"
    cut_after: int | None = None

    def __post_init__(self) -> None:
        if self.chunks is not None and not self.text:
            self.text = "".join(self.chunks)  # the same reply when it is not streamed


Responder = Callable[[dict[str, Any]], "str | Reply | int"]


def echo(request: dict[str, Any]) -> str:
    """The default responder: the last user message, back."""
    users = [m.get("content", "") for m in request.get("messages", []) if m.get("role") == "user"]
    return str(users[-1]) if users else ""


class Script:
    """A responder that plays replies in order and then repeats the last one."""

    def __init__(self, replies: Iterable[str | Reply | int]) -> None:
        self.replies = list(replies)
        if not self.replies:
            raise ValueError("a script needs at least one reply")
        self._next = 0
        self._lock = threading.Lock()

    def __call__(self, request: dict[str, Any]) -> str | Reply | int:
        with self._lock:
            reply = self.replies[min(self._next, len(self.replies) - 1)]
            self._next += 1
        return reply


class OpenAITestServer:
    """``with OpenAITestServer(responder) as server: ... server.base_url`` (ends in ``/v1``)."""

    def __init__(self, responder: Responder | None = None, models: tuple[str, ...] = ("test-model",)) -> None:
        self.responder: Responder = responder or echo
        self.models = models
        self.requests: list[dict[str, Any]] = []
        self.request_headers: list[dict[str, str]] = []
        self.chunks_sent: list[int] = []
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------------------

    def start(self) -> OpenAITestServer:
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        httpd.daemon_threads = True
        httpd.block_on_close = False  # a handler sleeping out a "timeout" must not hold up stop()
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="openai-test-server", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> OpenAITestServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the test server is not running")
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # --- what tests look at ----------------------------------------------------------------------

    @property
    def request_count(self) -> int:
        with self._lock:
            return len(self.requests)

    def reset(self) -> None:
        with self._lock:
            self.requests.clear()
            self.request_headers.clear()
            self.chunks_sent.clear()

    def _record(self, body: dict[str, Any], headers: dict[str, str]) -> None:
        with self._lock:
            self.requests.append(body)
            self.request_headers.append(headers)


# --- the HTTP side -------------------------------------------------------------------------------


def _handler_for(server: OpenAITestServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return None  # keep test output clean

        def do_GET(self) -> None:
            if self.path.rstrip("/") == "/v1/models":
                data = [{"id": m, "object": "model", "created": 0, "owned_by": "hippo-tests"} for m in server.models]
                self._send_json(200, {"object": "list", "data": data})
            else:
                self._send_error(404, f"no route {self.path}", "not_found")

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send_error(404, f"no route {self.path}", "not_found")
                return
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length)
            try:
                body = json.loads(raw)
            except ValueError:
                self._send_error(400, "request body is not JSON", "invalid_request_error")
                return
            server._record(body, {k.lower(): v for k, v in self.headers.items()})
            try:
                outcome = server.responder(body)
            except Exception as exc:  # noqa: BLE001 - a responder bug becomes a visible 500
                self._send_error(500, f"responder failed: {exc!r}", "server_error")
                return
            reply = _as_reply(outcome)
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self._answer(body, reply)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timed out) — that was the point

        def _answer(self, request: dict[str, Any], reply: Reply) -> None:
            if reply.body is not None:
                self._send_raw(reply.status, reply.body.encode("utf-8"), "application/json", reply.headers)
            elif reply.status != 200:
                headers = dict(reply.headers)
                if reply.status == 429:
                    headers.setdefault("Retry-After", "0")
                message = reply.text or f"test error {reply.status}"
                self._send_error(reply.status, message, _error_type(reply.status), headers)
            elif request.get("stream") and reply.streaming == "reject":
                self._send_error(400, "stream is not supported", "invalid_request_error")
            elif request.get("stream") and reply.streaming == "sse":
                self._stream(request, reply)
            else:
                self._send_json(200, _completion(request, reply), reply.headers)

        def _stream(self, request: dict[str, Any], reply: Reply) -> None:
            # HTTP/1.0 (the handler's default): the body ends when the server closes the connection
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream; charset=utf-8")
            if reply.cut_after is not None:  # promise more than is sent: the cut is a protocol error
                self.send_header("Content-Length", str(10**9))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            pieces = reply.chunks if reply.chunks is not None else re.findall(r"\S+\s*|\s+", reply.text)
            sent = 0
            try:
                self._event(_chunk(request, {"role": "assistant"}, None))
                for piece in pieces:
                    if reply.cut_after is not None and sent >= reply.cut_after:
                        return  # the connection closes mid-reply: no finish_reason, no [DONE]
                    if reply.chunk_delay:
                        time.sleep(reply.chunk_delay)
                    self._event(_chunk(request, {"content": piece}, None))
                    sent += 1
                self._event(_chunk(request, {}, reply.finish_reason))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()
            finally:
                with server._lock:
                    server.chunks_sent.append(sent)

        def _event(self, payload: dict[str, Any]) -> None:
            self.wfile.write(b"data: " + json.dumps(payload).encode("utf-8") + b"\n\n")
            self.wfile.flush()

        def _send_error(self, status: int, message: str, kind: str, headers: dict[str, str] | None = None) -> None:
            payload = {"error": {"message": message, "type": kind, "param": None, "code": kind}}
            self._send_json(status, payload, headers)

        def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            self._send_raw(status, json.dumps(payload).encode("utf-8"), "application/json", headers)

        def _send_raw(self, status: int, data: bytes, content_type: str, headers: dict[str, str] | None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _as_reply(outcome: str | Reply | int) -> Reply:
    if isinstance(outcome, Reply):
        return outcome
    if isinstance(outcome, bool):
        raise TypeError("a responder returns a str, a Reply or an int status, not a bool")
    if isinstance(outcome, int):
        return Reply(status=outcome)
    return Reply(text=str(outcome))


def _error_type(status: int) -> str:
    return {
        400: "invalid_request_error",
        401: "invalid_api_key",
        404: "not_found",
        429: "rate_limit_exceeded",
    }.get(status, "server_error")


def _completion(request: dict[str, Any], reply: Reply) -> dict[str, Any]:
    logprobs = None
    if reply.logprobs is not None and reply.logprobs_shape == "completions":
        items = [_token_logprob(spec) for spec in reply.logprobs]
        logprobs = {
            "tokens": [item["token"] for item in items],
            "token_logprobs": [item["logprob"] for item in items],
            "top_logprobs": [{alt["token"]: alt["logprob"] for alt in item["top_logprobs"]} for item in items],
            "text_offset": list(range(len(items))),
        }
    elif reply.logprobs is not None:
        logprobs = {"content": [_token_logprob(spec) for spec in reply.logprobs], "refusal": None}
    prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in request.get("messages", []))
    completion_tokens = len(reply.text.split())
    return {
        "id": f"chatcmpl-test-{time.monotonic_ns()}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model", "test-model"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": reply.text, "refusal": None},
                "logprobs": logprobs,
                "finish_reason": reply.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _chunk(request: dict[str, Any], delta: dict[str, Any], finish_reason: str | None) -> dict[str, Any]:
    return {
        "id": "chatcmpl-test-stream",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": request.get("model", "test-model"),
        "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish_reason}],
    }


def _token_logprob(spec: LogprobSpec) -> dict[str, Any]:
    if len(spec) == 3:
        token, own, alternatives = spec
    else:
        token, alternatives = spec
        own = dict(alternatives).get(token, max((lp for _, lp in alternatives), default=0.0))
    return {
        "token": token,
        "logprob": float(own),
        "bytes": list(token.encode("utf-8")),
        "top_logprobs": [
            {"token": alt, "logprob": float(lp), "bytes": list(alt.encode("utf-8"))} for alt, lp in alternatives
        ],
    }
