"""`yibao telegram [--webhook URL [--workers N]] [--listen HOST] [--port N] [--today DATE]`: the Telegram bot.

Long polling by default; with --webhook, a web server on --listen:--port receives the updates
Telegram posts to URL (its secret-token header checked); with --workers N as well, N processes
share that port (bot.telegram.webhook). Configuration comes from the environment (see
bot.telegram.config): TELEGRAM_BOT_TOKEN is required.
"""

from __future__ import annotations

import argparse

from bot.cli._args import add_today
from bot.errors import InputError


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"端口应为 1-65535 的整数: {text!r}") from None
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"端口应为 1-65535 的整数: {text!r}")
    return port


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--webhook",
        metavar="URL",
        default=None,
        help="用 webhook 接收更新：Telegram 推送到的公网网址（https://…）；默认长轮询",
    )
    p.add_argument(
        "--listen",
        metavar="HOST",
        default="127.0.0.1",
        help="webhook 模式监听的地址（默认 127.0.0.1，放在反向代理后面）",
    )
    p.add_argument("--port", metavar="N", type=_port, default=8443, help="webhook 模式监听的端口（默认 8443）")
    p.add_argument(
        "--workers",
        metavar="N",
        type=_workers,
        default=None,
        help="webhook 模式的工作进程数（共用一个端口；会话存储应为 Redis：YIBAO_STORE=redis://…）",
    )
    add_today(p)


def _workers(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"工作进程数应为 1-64 的整数: {text!r}")
    return int(text)


def run(args: argparse.Namespace) -> int:
    # python-telegram-bot only for this command: every command module is imported to build the parser
    from bot.telegram.config import TelegramConfig  # noqa: PLC0415 - the Telegram face's own settings
    from bot.telegram.face import serve, webhook_path  # noqa: PLC0415 - imports telegram (see above)

    config = TelegramConfig.from_env()
    if args.webhook:
        webhook_path(args.webhook)  # a malformed URL is one line before anything starts
    if args.workers is not None:
        if not args.webhook:
            raise InputError("--workers 只用于 webhook 模式（同时给出 --webhook URL）")
        from bot.telegram.webhook import serve_workers  # noqa: PLC0415 - imports telegram, uvicorn (see above)

        return serve_workers(config, args.webhook, args.listen, args.port, args.workers, args.today)
    return serve(config, webhook=args.webhook, listen=args.listen, port=args.port, today=args.today)
