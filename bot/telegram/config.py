"""The Telegram face's configuration, read from the environment and checked at the boundary.

TELEGRAM_BOT_TOKEN        required; the shape @BotFather hands out: `<digits>:<30+ of A-Z a-z 0-9 _ ->`
TELEGRAM_API_BASE_URL     optional; a self-hosted Bot API server or a test server,
                          e.g. http://127.0.0.1:8081/bot (the token is appended to it)
TELEGRAM_WEBHOOK_SECRET   optional; the secret Telegram sends back in the
                          X-Telegram-Bot-Api-Secret-Token header (webhook mode only), 16-256 characters
TELEGRAM_RATE_LIMIT       optional; messages per second over all chats (Telegram allows about 30)
YIBAO_STORE               optional; the session store (SQLite file), shared with `yibao chat`
YIBAO_HEARTBEAT           optional; a file the bot touches every 15 s (for a health check)

A missing or malformed value raises `bot.errors.InputError` with one line that names the
variable and never repeats the token itself.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator

from bot.errors import InputError

TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]{30,}$")
# setWebhook accepts 1-256 of these; fewer than 16 could be guessed by anyone who finds the URL
SECRET_SHAPE = re.compile(r"^[A-Za-z0-9_-]{16,256}$")

_ENV = {
    "token": "TELEGRAM_BOT_TOKEN",
    "api_base_url": "TELEGRAM_API_BASE_URL",
    "webhook_secret": "TELEGRAM_WEBHOOK_SECRET",
    "rate_limit": "TELEGRAM_RATE_LIMIT",
    "store": "YIBAO_STORE",
    "heartbeat": "YIBAO_HEARTBEAT",
}


class TelegramConfig(BaseModel):
    """Everything `yibao telegram` needs besides its command-line switches."""

    token: SecretStr
    api_base_url: str | None = None
    webhook_secret: SecretStr | None = None
    rate_limit: float = Field(default=30.0, gt=0)
    store: str | None = None
    heartbeat: str | None = None

    @field_validator("token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not TOKEN_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("TELEGRAM_BOT_TOKEN 格式不对（应为 @BotFather 给出的“数字:字母数字串”形式）")
        return value

    @field_validator("webhook_secret")
    @classmethod
    def _secret_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not SECRET_SHAPE.fullmatch(value.get_secret_value()):
            raise ValueError("TELEGRAM_WEBHOOK_SECRET 应为 16 到 256 个 A-Z a-z 0-9 _ - 字符")
        return value

    @field_validator("api_base_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("TELEGRAM_API_BASE_URL 应以 http:// 或 https:// 开头")
        return value

    @property
    def base_file_url(self) -> str | None:
        """The file URL that goes with a self-hosted base URL: …/bot -> …/file/bot."""
        if self.api_base_url is None:
            return None
        head, _, tail = self.api_base_url.rstrip("/").rpartition("/")
        return f"{head}/file/{tail}" if head else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> TelegramConfig:
        """Read and check the environment; a bad value is one InputError line."""
        environ = os.environ if environ is None else environ
        raw = {field: environ[name].strip() for field, name in _ENV.items() if environ.get(name, "").strip()}
        if "token" not in raw:
            raise InputError("缺少环境变量 TELEGRAM_BOT_TOKEN（向 @BotFather 申请机器人令牌后设置）")
        try:
            return cls(**raw)
        except ValidationError as exc:
            error = exc.errors()[0]
            field = str(error["loc"][0]) if error["loc"] else "token"
            message = str(error.get("ctx", {}).get("error") or error["msg"])
            if field == "rate_limit":
                message = f"TELEGRAM_RATE_LIMIT 应为正数: {raw.get('rate_limit')!r}"
            raise InputError(message) from None
