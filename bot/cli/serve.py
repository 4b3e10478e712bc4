"""`yibao serve [--host 127.0.0.1] [--port 8000]`: the HTTP interface and the agent console.

The socket is bound before anything else, so a port in use (or a host that is not this
machine's) is one line on standard error and exit code 2. Conversations live in the SQLite
store ($YIBAO_STORE, see bot.conversation.store). The access log holds method, path, status and time only:
never a query string or a body (bot.http.guard).
"""
from __future__ import annotations

import argparse
import socket

from bot.errors import InputError


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"端口应为整数: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应在0—65535之间: {port}")
    return port


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1（只接受本机访问）")
    p.add_argument("--port", type=_port, default=8000, help="监听端口，默认 8000（0 表示任选一个空闲端口）")
    p.add_argument("--store", metavar="PATH",
                   help="会话存储文件（默认 $YIBAO_STORE 或 ~/.local/share/yibao/sessions.db；memory 表示只在内存）")


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or an InputError that says why not in one line."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)[0]
    except (socket.gaierror, UnicodeError):
        raise InputError(f"无法识别的监听地址: {host}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise InputError(f"端口 {port} 已被占用，请换一个端口（--port）或先停止占用它的程序") from None
        raise InputError(f"无法在 {host}:{port} 监听：{exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock


def open_sessions(path: str | None):
    """The session store, or an InputError naming the file that cannot be opened."""
    import sqlite3

    from bot.conversation.store import default_path, open_store

    try:
        return open_store(path)
    except (sqlite3.Error, OSError) as exc:
        raise InputError(f"无法打开会话存储 {path or default_path()}：{exc}") from None


def run(args: argparse.Namespace) -> int:
    import logging
    import signal
    import sys

    import uvicorn

    from bot.http.app import create_app, warm

    sock = bind(args.host, args.port)
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again once its own
    # handlers are gone: this handler turns that (or a SIGTERM while warming up) into exit 0
    signal.signal(signal.SIGTERM, _stopped)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    store = open_sessions(args.store)
    warm()
    app = create_app(store)
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    print(f"yibao serve: 坐席控制台 http://{shown}:{port}/ ，接口文档 http://{shown}:{port}/docs ；"
          "按 Ctrl+C 停止", file=sys.stderr, flush=True)
    config = uvicorn.Config(app, access_log=False, log_level="info", lifespan="on",
                            server_header=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])
    return 0


def _stopped(signum, frame) -> None:
    raise SystemExit(0)
