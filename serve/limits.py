"""Request size limit and the JSON error body shared by every endpoint."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse


def error_response(status: int, code: str, message: str, *, limit: Any = None, errors: list | None = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    """``{"error": {"code", "message", "limit"?, "errors"?}}`` with ``status``."""
    detail: dict[str, Any] = {"code": code, "message": message}
    if limit is not None:
        detail["limit"] = limit
    if errors is not None:
        detail["errors"] = errors
    return JSONResponse({"error": detail}, status_code=status, headers=headers)


class _TooLarge(Exception):
    pass


class BodySizeLimit:
    """ASGI middleware: answer 413 to bodies over ``max_bytes`` (declared or streamed)."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def _reject(self, send) -> None:
        body = json.dumps({"error": {"code": "body_too_large",
                                     "message": f"the request body is larger than {self.max_bytes} bytes",
                                     "limit": self.max_bytes}}).encode("utf-8")
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(send)
            return
        received = 0
        started = False

        async def limited_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge
            return message

        async def tracking_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._reject(send)
