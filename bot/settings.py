"""yibao's own settings, read from the environment and checked at the boundary (pydantic-settings).

YIBAO_STORE          the session store (SQLite file; "memory" keeps nothing), see bot.conversation.store
YIBAO_SESSION_DAYS   days a conversation is kept after its last turn: a number from 1 to 3650 (default 30)
YIBAO_HEARTBEAT      a file the Telegram bot touches every 15 s (for a health check)

A bad value is one `SettingsError` line naming the variable (the faces end with exit code 2);
nan, inf, 0 and negative ages are refused: an age of 0 would let one process delete every
conversation of every other process sharing the store.
"""

from __future__ import annotations

import math

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import InputError

DEFAULT_SESSION_DAYS = 30
MAX_SESSION_DAYS = 3650


class SettingsError(InputError):
    """An environment variable yibao cannot use; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YIBAO_", extra="ignore", case_sensitive=False)

    store: str | None = None
    session_days: float = Field(default=DEFAULT_SESSION_DAYS, ge=1, le=MAX_SESSION_DAYS)
    heartbeat: str | None = None

    @field_validator("session_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip() or DEFAULT_SESSION_DAYS
        return value

    @field_validator("session_days")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError("not finite")
        return value

    @field_validator("store", "heartbeat", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return (value.strip() or None) if isinstance(value, str) else value


_MESSAGES = {
    "session_days": f"YIBAO_SESSION_DAYS 应为 1 到 {MAX_SESSION_DAYS} 之间的天数",
    "store": "YIBAO_STORE 应为一个文件路径",
    "heartbeat": "YIBAO_HEARTBEAT 应为一个文件路径",
}


def settings() -> Settings:
    """The settings as the environment has them now; a bad value raises SettingsError."""
    try:
        return Settings()
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else ""
        shown = error.get("input")
        message = _MESSAGES.get(field, f"环境变量 YIBAO_{field.upper()} 的值不对")
        raise SettingsError(f"{message}: {shown!r}" if isinstance(shown, str) else message) from None
