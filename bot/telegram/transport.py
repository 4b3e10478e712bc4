"""The Bot API transport: calls over one kept-alive aiohttp session (see AiohttpRequest)."""

from __future__ import annotations

import ssl
from typing import Any
from urllib.parse import urlencode

import aiohttp
import certifi
from aiohttp.helpers import get_env_proxy_for_url
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

POOL_SIZE = 8  # connections kept alive to the Bot API (Telegram allows ~30 messages/s)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class AiohttpRequest(BaseRequest):
    """Bot API calls over one aiohttp session whose connections are kept alive between calls.

    PTB's own HTTPXRequest works, but costs several times more CPU per call (see the module
    docstring); this does the same job (form-encoded parameters, multipart when a file is
    sent, PTB's timeouts, errors as TimedOut / NetworkError) in a fraction of that.
    Certificates come from certifi and a proxy from HTTPS_PROXY (NO_PROXY honoured), as
    with HTTPX; the proxy is looked up once per server, not per call (aiohttp's trust_env
    does it in a thread for every call: about 0.6 ms each).
    """

    def __init__(
        self,
        connections: int = POOL_SIZE,
        connect_timeout: float = 10.0,
        read_timeout: float = 15.0,
        write_timeout: float = 15.0,
        pool_timeout: float = 10.0,
    ) -> None:
        self._connections = connections
        self._timeouts = {
            "connect": connect_timeout,
            "read": read_timeout,
            "write": write_timeout,
            "pool": pool_timeout,
        }
        self._session: Any = None
        self._proxies: dict[str, tuple[Any, Any]] = {}  # "scheme://host" -> (proxy, its auth)

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            tls = ssl.create_default_context(cafile=certifi.where())
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, ssl=tls),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _proxy(self, url: str) -> tuple[Any, Any]:
        """The proxy the environment names for this URL's server, and its credentials."""
        origin = "/".join(url.split("/", 3)[:3])
        if origin not in self._proxies:
            try:
                self._proxies[origin] = get_env_proxy_for_url(URL(origin))
            except (LookupError, ValueError):  # no proxy for this server (or no server: aiohttp says)
                self._proxies[origin] = (None, None)
        return self._proxies[origin]

    def _timeout(self, name: str, value: Any) -> float | None:
        return self._timeouts[name] if value is BaseRequest.DEFAULT_NONE else value

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        data: Any = None
        headers = None
        if request_data is not None and request_data.multipart_data:
            data = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                data.add_field(name, value)
            for name, (filename, content, mime) in request_data.multipart_data.items():
                data.add_field(name, content, filename=filename, content_type=mime)
        elif request_data is not None:
            # Encoded here: given a dict, aiohttp builds a multipart writer first (a uuid4, so
            # a read of os.urandom, per call) only to fall back to this same form encoding.
            data = urlencode(request_data.json_parameters).encode("ascii")
            headers = FORM
        # aiohttp's `connect` is waiting for a free connection plus connecting; sock_read bounds
        # each read (PTB lengthens read_timeout by the long-polling timeout itself). aiohttp
        # has no write timeout: the whole call is bounded by the sum of the four instead.
        limits = {
            name: self._timeout(name, value)
            for name, value in (
                ("pool", pool_timeout),
                ("connect", connect_timeout),
                ("write", write_timeout),
                ("read", read_timeout),
            )
        }
        pool, connect = limits["pool"], limits["connect"]
        known = [value for value in limits.values() if value is not None]
        timeout = aiohttp.ClientTimeout(
            total=sum(known) if len(known) == len(limits) else None,
            connect=pool + connect if pool is not None and connect is not None else None,
            sock_connect=connect,
            sock_read=limits["read"],
        )
        proxy, proxy_auth = self._proxy(url)
        try:
            async with self._session.request(
                method, url, data=data, headers=headers, timeout=timeout, proxy=proxy, proxy_auth=proxy_auth
            ) as response:
                return response.status, await response.read()
        except TimeoutError as exc:
            raise TimedOut from exc
        except aiohttp.ClientError as exc:
            # the URL holds the token: it never goes into the message
            raise NetworkError(f"aiohttp.{type(exc).__name__}: {str(exc).replace(url, '<url>')}") from exc
