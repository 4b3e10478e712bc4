"""Several worker processes behind one listening socket (pre-fork, as `uvicorn --workers` and
gunicorn do): `yibao serve --workers N` and `yibao telegram --webhook URL --workers N`.

The parent binds the socket, loads what every worker needs (the matcher, the search index:
shared copy-on-write after the fork) and forks N workers; each opens its own connection to the
session store and serves the same socket, the kernel handing each new connection to one of
them. The parent only supervises: a worker that dies is started again (after 1, 2, 4 … up to
30 seconds when it keeps dying at once), a worker ending with exit code 2 (a configuration
that cannot work: an unreachable store at start) stops them all with that code, and SIGTERM or
SIGINT is passed on to every worker, which finishes its requests and stops.

Conversations must be in a store every worker shares and that serialises their turns: Redis
(YIBAO_STORE=redis://…) across machines, or the SQLite file on one machine.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable

from bot.errors import InputError

log = logging.getLogger("yibao.workers")
CONFIG_EXIT = 2
QUICK_DEATH = 5.0  # seconds: a worker dying sooner than this after its start is restarted more slowly
MAX_BACKOFF = 30.0


def _die_with_parent() -> None:
    """Linux: SIGTERM this worker when the supervising parent dies (even by SIGKILL)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _child(run: Callable[[int, bool], int | None], index: int, again: bool) -> None:
    """In the forked worker: default signal handlers, run, exit with its code (never return)."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    _die_with_parent()
    code = 1
    try:
        code = int(run(index, again) or 0)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException as exc:  # noqa: BLE001 - a worker reports and exits; the parent restarts it
        if isinstance(exc, InputError):
            print(f"yibao: {exc}", file=sys.stderr, flush=True)
            code = CONFIG_EXIT
        else:
            traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def supervise(count: int, run: Callable[[int, bool], int | None]) -> int:
    """Fork `count` workers running `run(index, restarted)`; supervise them until told to stop.

    The exit code: 0 after SIGTERM / SIGINT, 2 when a worker found the configuration unusable.
    """
    children: dict[int, tuple[int, float]] = {}  # pid -> (index, started)
    backoff = {i: 1.0 for i in range(count)}
    stopping = False
    result = 0

    def start(index: int, again: bool) -> None:
        pid = os.fork()
        if pid == 0:
            _child(run, index, again)
        children[pid] = (index, time.monotonic())

    def stop(signum, frame) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for index in range(count):
            start(index, False)
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            child = children.pop(pid, None)
            if child is None:
                continue
            index, started = child
            code = os.waitstatus_to_exitcode(status)
            if stopping:
                continue
            if code == CONFIG_EXIT:
                result = CONFIG_EXIT
                stop(signal.SIGTERM, None)
                continue
            lived = time.monotonic() - started
            backoff[index] = 1.0 if lived > QUICK_DEATH else min(backoff[index] * 2, MAX_BACKOFF)
            wait = backoff[index] if lived <= QUICK_DEATH else 0.0
            print(
                f"yibao: 第 {index + 1} 个工作进程已退出（{code}），{wait:.0f} 秒后重新启动",
                file=sys.stderr,
                flush=True,
            )
            deadline = time.monotonic() + wait
            while not stopping and time.monotonic() < deadline:
                time.sleep(0.1)
            if not stopping:
                start(index, True)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return result


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or an InputError that says why not in one line."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except (socket.gaierror, UnicodeError):
        raise InputError(f"无法识别的监听地址: {host}") from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
            raise InputError(f"端口 {port} 已被占用，请换一个端口（--port）或先停止占用它的程序") from None
        raise InputError(f"无法在 {host}:{port} 监听：{exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock
