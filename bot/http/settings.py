"""Who may call the HTTP interface and how much: API keys (each a client with its own namespace
and limits), the host names it answers to, rate and session limits, the body cap, and the
connection limits handed to uvicorn.

A keys file (`yibao serve --keys FILE`, or $YIBAO_API_KEYS) holds one client a line:

    # name   key (at least 24 characters)           limits (optional)
    desk-a   9c1f0d4e6b7a4c2f8e3d5a1b0c9f7e6d       requests_per_minute=600 sessions_per_hour=200

The key goes in the request header X-API-Key. Only its SHA-256 digest is kept in memory.
Without keys the one client is "local", which is allowed only while the server listens on a
loopback address (bot.http.server refuses to start otherwise).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import os
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

API_KEY_HEADER = "x-api-key"
LOCAL_CLIENT = "local"
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MIN_KEY_LENGTH = 24
NAME_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,31}$"


class Limits(BaseModel):
    """What one client may do: requests a minute, conversations started an hour."""

    requests_per_minute: int = Field(600, ge=1)
    sessions_per_hour: int = Field(200, ge=1)


class Client(BaseModel):
    name: str = Field(pattern=NAME_PATTERN)
    key_digest: str
    limits: Limits = Field(default_factory=Limits)


class HttpSettings(BaseModel):
    """Everything the guard and the server enforce; the defaults suit one call centre desk."""

    allowed_hosts: list[str] = Field(default_factory=lambda: list(LOOPBACK_NAMES))
    clients: list[Client] = Field(default_factory=list)
    local_limits: Limits = Field(default_factory=Limits)
    ip_requests_per_minute: int = Field(1200, ge=1)
    max_body: int = Field(64 * 1024, ge=1024)
    header_timeout: float = Field(10.0, gt=0)  # seconds to send a whole request (headers and body)
    limit_concurrency: int = Field(4000, ge=1)  # open connections; more get 503
    max_header_bytes: int = Field(16 * 1024, ge=1024)

    def client_for(self, key: str | None) -> Client | None:
        """The client whose key this is (compared in constant time), else None."""
        if key is None:
            return None
        digest = key_digest(key)
        found = None
        for client in self.clients:
            if hmac.compare_digest(client.key_digest, digest):
                found = client
        return found

    def host_allowed(self, host: str) -> bool:
        if "*" in self.allowed_hosts:
            return True
        return host.lower().rstrip(".") in {h.lower().strip("[]") for h in self.allowed_hosts}


class SettingsError(ValueError):
    """A keys file or an option that cannot be used; str() is one line of Chinese."""


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def parse_keys(text: str, source: str = "密钥文件") -> list[Client]:
    """The clients of a keys file (format in the module docstring)."""
    clients: list[Client] = []
    for number, line in enumerate(text.splitlines(), 1):
        words = line.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) < 2:
            raise SettingsError(f"{source} 第{number}行：应为“名称 密钥 [限额]”")
        name, key, extra = words[0], words[1], words[2:]
        if len(key) < MIN_KEY_LENGTH:
            raise SettingsError(f"{source} 第{number}行：密钥太短（至少{MIN_KEY_LENGTH}个字符）")
        limits: dict[str, str] = {}
        for item in extra:
            field, _, value = item.partition("=")
            if field not in Limits.model_fields or not value.isdigit():
                raise SettingsError(
                    f"{source} 第{number}行：不认识的限额 {field}（可用 {'、'.join(Limits.model_fields)}=正整数）"
                )
            limits[field] = value
        try:
            clients.append(Client(name=name, key_digest=key_digest(key), limits=Limits(**limits)))
        except ValidationError:
            raise SettingsError(
                f"{source} 第{number}行：名称只能由小写字母、数字、_ 或 - 组成（最多32个），限额应为正整数"
            ) from None
    names = [c.name for c in clients]
    if len(set(names)) != len(names):
        raise SettingsError(f"{source}：客户端名称重复")
    if len({c.key_digest for c in clients}) != len(clients):
        raise SettingsError(f"{source}：两个客户端用了同一个密钥")
    return clients


def read_keys(path: str | os.PathLike) -> list[Client]:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"无法读取密钥文件 {path}：{getattr(exc, 'strerror', None) or exc}") from None
    return parse_keys(text, f"密钥文件 {path}")


def is_loopback(host: str) -> bool:
    """True for a listening address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
