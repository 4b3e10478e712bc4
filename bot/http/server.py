"""Running the HTTP interface: the listening socket, the refusal to listen beyond this machine
without API keys, and uvicorn set up against slow and many clients.

Against slow and many clients (uvicorn's settings, plus what uvicorn lacks):
  - limit_concurrency: more open connections than HttpSettings.limit_concurrency get 503;
  - h11_max_incomplete_event_size: request headers over max_header_bytes are refused;
  - timeout_keep_alive: an idle kept-alive connection closes after 5 seconds;
  - DeadlineProtocol: a connection must deliver a whole request (headers and body) within
    header_timeout seconds of opening or of its previous response, else it is closed. uvicorn
    has no such setting: without it a client sending one header byte a second holds its
    connection (and a file handle) for ever. deploy/nginx-yibao.conf puts a reverse proxy in
    front for per-address connection limits, which uvicorn cannot do;
  - the file-handle limit is raised to the hard limit, and flood-prone loggers print one line
    per kind of failure a minute (bot.http.logs).
"""

from __future__ import annotations

import logging
import os
import sqlite3
import sys

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from bot import service
from bot.errors import InputError
from bot.http import logs
from bot.http.app import create_app
from bot.http.settings import LOOPBACK_NAMES, HttpSettings, Limits, SettingsError, is_loopback, read_keys
from bot.service import open_store, warm
from bot.workers import bind, supervise

if sys.platform != "win32":
    import resource

log = logging.getLogger("yibao.http.connections")
NEEDS_KEYS = "在 {host} 上监听会让本机以外的人访问，必须配置接口密钥（--keys 文件或 $YIBAO_API_KEYS）"


class DeadlineProtocol(H11Protocol):
    """uvicorn's HTTP/1.1 protocol with a deadline for reading each request."""

    request_timeout = 10.0

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._deadline = self.loop.call_later(self.request_timeout, self._deadline_passed)

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._rearm()

    def connection_lost(self, exc) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
        super().connection_lost(exc)

    def _rearm(self) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
        if not self.transport.is_closing():
            self._deadline = self.loop.call_later(self.request_timeout, self._deadline_passed)

    def _deadline_passed(self) -> None:
        """Still reading a request (its headers or its body): close the connection."""
        if self.transport.is_closing() or self.conn.their_state not in (h11.IDLE, h11.SEND_BODY):
            return
        if self.conn.their_state is h11.IDLE and not self.conn.trailing_data[0] and self.cycle is not None:
            return  # an idle kept-alive connection: uvicorn's keep-alive timeout closes it
        log.warning("请求未在%s秒内发送完，已断开连接", self.request_timeout)
        self.transport.close()


def protocol_for(settings: HttpSettings) -> type[DeadlineProtocol]:
    return type("Deadline", (DeadlineProtocol,), {"request_timeout": settings.header_timeout})


def check_exposure(host: str, settings: HttpSettings) -> None:
    """Beyond loopback only with API keys: an InputError (one line, exit 2) otherwise."""
    if not is_loopback(host) and not settings.clients:
        raise InputError(NEEDS_KEYS.format(host=host))


def raise_file_limit() -> None:
    if sys.platform == "win32":  # no resource module there
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (hard if hard != resource.RLIM_INFINITY else 65536, hard))
        except (ValueError, OSError):
            pass


def uvicorn_config(app, settings: HttpSettings):
    return uvicorn.Config(
        app,
        access_log=False,
        log_level="info",
        lifespan="on",
        server_header=False,
        timeout_graceful_shutdown=5,
        http=protocol_for(settings),
        timeout_keep_alive=5,
        limit_concurrency=settings.limit_concurrency,
        backlog=2048,
        h11_max_incomplete_event_size=settings.max_header_bytes,
    )


def settings_from(
    host: str, keys: str | None, allowed_hosts: list[str], rate: int | None, sessions_per_hour: int | None
) -> HttpSettings:
    """HttpSettings from `yibao serve`'s options and the environment ($YIBAO_API_KEYS, a keys
    file; $YIBAO_ALLOWED_HOSTS, names separated by commas); an InputError when unusable."""
    keys = keys or os.environ.get("YIBAO_API_KEYS") or None
    hosts = (
        list(LOOPBACK_NAMES)
        + [h.strip() for h in os.environ.get("YIBAO_ALLOWED_HOSTS", "").split(",") if h.strip()]
        + list(allowed_hosts)
    )
    if host not in ("0.0.0.0", "::", "") and host not in hosts:
        hosts.append(host)  # the address it listens on, when it is one address
    try:
        clients = read_keys(keys) if keys else []
    except SettingsError as exc:
        raise InputError(str(exc)) from None
    local = Limits()
    if rate is not None or sessions_per_hour is not None:
        local = Limits(
            requests_per_minute=rate or local.requests_per_minute,
            sessions_per_hour=sessions_per_hour or local.sessions_per_hour,
        )
        clients = [
            c.model_copy(
                update={
                    "limits": Limits(
                        requests_per_minute=rate or c.limits.requests_per_minute,
                        sessions_per_hour=sessions_per_hour or c.limits.sessions_per_hour,
                    )
                }
            )
            for c in clients
        ]
    extra = {"ip_requests_per_minute": max(rate, HttpSettings().ip_requests_per_minute)} if rate else {}
    settings = HttpSettings(allowed_hosts=hosts, clients=clients, local_limits=local, **extra)
    check_exposure(host, settings)
    return settings


def run(host: str, port: int, store_path: str | None, settings: HttpSettings, workers: int = 1) -> int:
    """Bind, open the store, warm the caches, serve until SIGTERM or Ctrl+C; the exit code.

    With `workers` > 1 the store is opened once to check it, then that many processes serve the
    one socket, each with its own connection to the store (bot.workers)."""
    sock = bind(host, port)
    raise_file_limit()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        store = open_store(store_path)
    except (sqlite3.Error, OSError) as exc:
        raise InputError(f"无法打开会话存储 {service.store_path(store_path)}：{exc}") from None
    warm()
    bound, bound_port = sock.getsockname()[:2]
    shown = f"[{bound}]" if ":" in bound else bound
    keys = f"，接口密钥 {len(settings.clients)} 个" if settings.clients else ""
    many = f"，{workers} 个工作进程" if workers > 1 else ""
    print(
        f"yibao serve: 坐席控制台 http://{shown}:{bound_port}/ ，接口文档 http://{shown}:{bound_port}/docs{keys}{many}；"
        f"接受的主机名 {'、'.join(settings.allowed_hosts)}（--allowed-host 可加）；按 Ctrl+C 停止",
        file=sys.stderr,
        flush=True,
    )

    def serve(app) -> None:
        config = uvicorn_config(app, settings)  # configures uvicorn's loggers: the summary goes on after
        logs.install()
        uvicorn.Server(config).run(sockets=[sock])

    if workers > 1:
        store.close()  # each worker opens its own connection after the fork

        def worker(index: int, restarted: bool) -> int:
            serve(create_app(open_store(store_path), settings))
            return 0

        return supervise(workers, worker)
    serve(create_app(store, settings))
    return 0
