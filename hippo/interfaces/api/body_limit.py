"""The request body-size guard (the other bounds are the service layer's, ``hippo.service.limits``).

It is plain ASGI middleware so an oversized upload is refused before it is read into
memory: by its Content-Length when given, else by counting the chunks as they arrive (FastAPI
turns an HTTPException raised while the body is read into that response).
"""

from __future__ import annotations

import json

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        seen = 0

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise HTTPException(413, self.message())
            return message

        await self.app(scope, counting_receive, send)

    def message(self) -> str:
        return (
            f"the request body is larger than the limit of {self.max_bytes} bytes ({self.max_bytes / 1e6:g} MB); "
            "send fewer or smaller documents per request (setting HIPPO_API_MAX_BODY_BYTES)"
        )

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": self.message()}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})
