"""The ASGI wrapper around the HTTP interface: a cap on request bodies, one line of Chinese
instead of a traceback, and an access log that never holds what a person typed.

The log line is the method, the path without its query string, the status and the time:
a query (`/api/faq?q=...`) or a body may hold an ID-card or a phone number, so neither is
ever written. An unexpected exception is logged by type and code location only (no message,
which could quote the input), and the client gets 500 with a one-line message.
"""
from __future__ import annotations

import json
import logging
import time
import traceback

log = logging.getLogger("yibao.http")

MAX_BODY = 64 * 1024  # bytes: a MAX_TEXT message even with every character \u-escaped
TOO_LARGE = "请求内容太大（最多{limit}字节）"
INTERNAL = "服务出了点问题，请稍后再试；急事请拨打医保服务热线12393。"


async def send_json(send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json; charset=utf-8"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def _where(exc: BaseException) -> str:
    """file:line of the innermost frames, without the exception's message."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames))


class Guard:
    """Pure ASGI middleware: body cap, exception barrier, privacy-safe access log."""

    def __init__(self, app, max_body: int = MAX_BODY) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 0}

        async def tracked_send(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            replay = await self._read_body(scope, receive, tracked_send)
            if replay is not None:
                await self.app(scope, replay, tracked_send)
        except Exception as exc:  # the barrier: no traceback ever reaches the client
            log.error("内部错误 %s %s: %s at %s", scope.get("method"), scope.get("path"),
                      type(exc).__name__, _where(exc))
            if not status["code"]:
                await send_json(tracked_send, 500, INTERNAL)
        finally:
            log.info("%s %s %s %.1fms", scope.get("method"), scope.get("path"), status["code"] or "-",
                     (time.perf_counter() - started) * 1000)

    async def _read_body(self, scope, receive, send):
        """The whole body read up to the cap, handed on as one message; None when refused."""
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await send_json(send, 400, "请求头 Content-Length 无效")
                return None
            if length > self.max_body:
                await send_json(send, 413, TOO_LARGE.format(limit=self.max_body))
                return None
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                await send_json(send, 413, TOO_LARGE.format(limit=self.max_body))
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body, delivered = b"".join(chunks), False

        async def replay():
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay
