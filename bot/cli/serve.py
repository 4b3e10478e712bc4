"""`yibao serve [--host 127.0.0.1] [--port 8000] [--keys FILE] [--allowed-host NAME]`: the HTTP
interface and the agent console (bot.http).

The socket is bound before anything else, so a port in use (or a host that is not this
machine's) is one line on standard error and exit code 2; so is a host beyond loopback
without API keys (bot.http.settings describes the keys file). Conversations live in the
SQLite store ($YIBAO_STORE, see bot.conversation.store). The access log holds method, path,
status, time and client name only: never a query string or a body (bot.http.guard).
"""

from __future__ import annotations

import argparse
import signal


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"端口应为整数: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"端口应在0—65535之间: {port}")
    return port


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"应为正整数: {text!r}")
    return int(text)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--host", default="127.0.0.1", help="监听地址，默认 127.0.0.1（只接受本机访问）；其他地址必须配置接口密钥"
    )
    p.add_argument("--port", type=_port, default=8000, help="监听端口，默认 8000（0 表示任选一个空闲端口）")
    p.add_argument(
        "--store",
        metavar="PATH",
        help="会话存储文件（默认 $YIBAO_STORE 或 ~/.local/share/yibao/sessions.db；memory 表示只在内存）",
    )
    p.add_argument("--keys", metavar="FILE", help="接口密钥文件，每行“名称 密钥 [限额]”（默认 $YIBAO_API_KEYS）")
    p.add_argument(
        "--allowed-host",
        action="append",
        default=[],
        metavar="NAME",
        help="除 localhost、127.0.0.1、::1 外还接受的主机名（Host 请求头），可重复；"
        "也可用 $YIBAO_ALLOWED_HOSTS（逗号分隔）",
    )
    p.add_argument("--rate", type=_positive, metavar="N", help="每个客户端和每个地址每分钟的请求数上限")
    p.add_argument(
        "--workers",
        type=_positive,
        default=1,
        metavar="N",
        help="工作进程数（默认 1）；多于 1 个时会话存储应为 Redis（YIBAO_STORE=redis://…）或本机的 SQLite 文件",
    )
    p.add_argument("--sessions-per-hour", type=_positive, metavar="N", help="每个客户端每小时新开会话数上限")


def run(args: argparse.Namespace) -> int:
    # FastAPI and uvicorn only for this command: every command module is imported to build the parser
    from bot.http.server import run as serve  # noqa: PLC0415 - imports uvicorn (see above)
    from bot.http.server import settings_from  # noqa: PLC0415 - as above

    settings = settings_from(args.host, args.keys, args.allowed_host, args.rate, args.sessions_per_hour)
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again once its own
    # handlers are gone: this handler turns that (or a SIGTERM while warming up) into exit 0
    signal.signal(signal.SIGTERM, _stopped)
    return serve(args.host, args.port, args.store, settings, args.workers)


def _stopped(signum, frame) -> None:
    raise SystemExit(0)
