"""The ASGI wrapper around the HTTP interface: everything a request meets before a route.

In order: HEAD is answered as GET without the body; the Host header must be an allowed name
(a DNS-rebinding page reaches a loopback server under a foreign name: 400); every route but
/healthz and the static pages (console, docs) needs a known API key when keys are configured
(401); requests are rate limited per IP address and per client (429 with Retry-After); bodies
are capped (413); an exception becomes 500 and one line of Chinese. Every response, refusals
included, carries the security headers (CSP, nosniff, frame-ancestors, referrer-policy).

The access log line is the method, the path without its query string, the status, the time
and the client name: a query (`/api/faq?q=...`) or a body may hold an ID-card or a phone
number, so neither is ever written. An unexpected exception is logged by type and code
location only (no message, which could quote the input).
"""

from __future__ import annotations

import json
import logging
import time
import traceback

from bot.http.limits import Buckets, retry_after
from bot.http.metrics import Metrics
from bot.http.settings import API_KEY_HEADER, LOCAL_CLIENT, HttpSettings

log = logging.getLogger("yibao.http")

TOO_LARGE = "请求内容太大（最多{limit}字节）"
INTERNAL = "服务出了点问题，请稍后再试；急事请拨打医保服务热线12393。"
BAD_HOST = "不接受这个主机名（Host）：请用服务配置的地址访问"
NO_KEY = "缺少接口密钥：请在请求头 X-API-Key 中提供"
BAD_KEY = "接口密钥无效"
TOO_MANY = "请求太频繁，请{seconds}秒后再试"
PUBLIC = frozenset({"/", "/healthz", "/docs", "/redoc", "/openapi.json"})
PUBLIC_PREFIX = "/docs-assets/"
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
SECURITY_HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"no-referrer",
    b"x-frame-options": b"DENY",
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), payment=()",
}


def json_message(status: int, detail: str, headers: dict[str, str] | None = None) -> tuple[dict, dict]:
    """The two ASGI messages of a JSON error response."""
    body = json.dumps({"detail": detail}, ensure_ascii=False).encode("utf-8")
    raw = [(b"content-type", b"application/json; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in (headers or {}).items()]
    return (
        {"type": "http.response.start", "status": status, "headers": raw},
        {"type": "http.response.body", "body": body},
    )


async def send_json(send, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
    for message in json_message(status, detail, headers):
        await send(message)


def _where(exc: BaseException) -> str:
    """file:line of the innermost frames, without the exception's message."""
    frames = traceback.extract_tb(exc.__traceback__)[-3:]
    return " <- ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno}" for f in reversed(frames))


def host_of(headers: dict[bytes, bytes]) -> str | None:
    """The name in the Host header, without the port; None when absent or malformed."""
    raw = headers.get(b"host")
    if not raw:
        return None
    try:
        host = raw.decode("ascii").strip()
    except UnicodeDecodeError:
        return None
    if host.startswith("["):
        end = host.find("]")
        return host[1:end] if end > 0 else None
    name, _, port = host.partition(":")
    if port and not port.isdigit():
        return None
    return name or None


def _with_security_headers(headers: list, path: str) -> list:
    present = {k.lower() for k, _ in headers}
    out = list(headers)
    for name, value in SECURITY_HEADERS.items():
        if name not in present:
            out.append((name, value))
    if b"content-security-policy" not in present:
        out.append((b"content-security-policy", API_CSP.encode()))
    if b"cache-control" not in present and not path.startswith(PUBLIC_PREFIX):
        out.append((b"cache-control", b"no-store"))
    return out


class Guard:
    """Pure ASGI middleware; `settings` says who may call and how much, `metrics` counts."""

    def __init__(
        self, app, settings: HttpSettings | None = None, metrics: Metrics | None = None, clock=time.monotonic
    ) -> None:
        self.app = app
        self.settings = settings or HttpSettings()
        self.metrics = metrics or Metrics()
        self.buckets = Buckets(clock)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        method, path = scope.get("method", ""), scope.get("path", "")
        status = {"code": 0}
        head = method == "HEAD"
        inner = {**scope, "method": "GET"} if head else scope

        async def guarded_send(message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message = {**message, "headers": _with_security_headers(message.get("headers") or [], path)}
            elif head and message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        client = "-"
        try:
            refusal, client = self._admit(inner)
            if refusal is not None:
                reason, code, detail, headers = refusal
                self.metrics.errors.labels(reason).inc()
                await send_json(guarded_send, code, detail, headers)
                return
            inner.setdefault("state", {})["client"] = client
            replay = await self._read_body(inner, receive, guarded_send)
            if replay is not None:
                await self.app(inner, replay, guarded_send)
        except Exception as exc:  # the barrier: no traceback ever reaches the client
            log.error("内部错误 %s %s: %s at %s", method, path, type(exc).__name__, _where(exc))
            self.metrics.errors.labels("internal").inc()
            if not status["code"]:
                await send_json(guarded_send, 500, INTERNAL)
        finally:
            seconds = time.perf_counter() - started
            route = inner.get("route")
            label = getattr(route, "path", None) or ("/docs-assets" if path.startswith(PUBLIC_PREFIX) else "other")
            self.metrics.observe(method, label, status["code"] or 0, seconds)
            log.info("%s %s %s %.1fms %s", method, path, status["code"] or "-", seconds * 1000, client)

    def _admit(self, scope) -> tuple[tuple | None, str]:
        """(None, client name) when the request may go on, else ((reason, status, detail, headers), name)."""
        settings = self.settings
        headers = dict(scope.get("headers") or [])
        host = host_of(headers)
        if host is None or not settings.host_allowed(host):
            return ("bad_host", 400, BAD_HOST, None), "-"
        path = scope.get("path", "")
        if path == "/healthz":
            return None, "-"
        ip = (scope.get("client") or ("-",))[0]
        wait = self.buckets.take("ip:" + ip, settings.ip_requests_per_minute)
        if wait:
            return (
                "rate_limited",
                429,
                TOO_MANY.format(seconds=retry_after(wait)),
                {"Retry-After": retry_after(wait)},
            ), "-"
        if path in PUBLIC or path.startswith(PUBLIC_PREFIX):
            return None, "-"
        if settings.clients:
            raw = headers.get(API_KEY_HEADER.encode())
            if raw is None:
                return ("unauthorized", 401, NO_KEY, {"WWW-Authenticate": 'ApiKey header="X-API-Key"'}), "-"
            found = settings.client_for(raw.decode("latin-1"))
            if found is None:
                return ("unauthorized", 401, BAD_KEY, {"WWW-Authenticate": 'ApiKey header="X-API-Key"'}), "-"
            name, limits = found.name, found.limits
        else:
            name, limits = LOCAL_CLIENT, settings.local_limits
        wait = self.buckets.take("client:" + name, limits.requests_per_minute)
        if wait:
            return (
                "rate_limited",
                429,
                TOO_MANY.format(seconds=retry_after(wait)),
                {"Retry-After": retry_after(wait)},
            ), name
        return None, name

    async def _read_body(self, scope, receive, send):
        """The whole body read up to the cap, handed on as one message; None when refused."""
        limit = self.settings.max_body
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None:
            try:
                length = int(declared)
            except ValueError:
                await send_json(send, 400, "请求头 Content-Length 无效")
                return None
            if length > limit:
                self.metrics.errors.labels("too_large").inc()
                await send_json(send, 413, TOO_LARGE.format(limit=limit))
                return None
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                self.metrics.errors.labels("too_large").inc()
                await send_json(send, 413, TOO_LARGE.format(limit=limit))
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
