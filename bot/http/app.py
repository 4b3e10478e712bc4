"""The HTTP face of yibao: a JSON API and the hotline agents' console (`yibao serve`).

    GET    /               the agent console (one self-contained page, no external resources)
    GET    /healthz        {"status": "ok"}
    POST   /api/ask        {question, today?} -> the object `yibao ask --json` prints
    POST   /api/chat       {session?, message, today?} -> {session, replies: [Reply]}
    DELETE /api/chat/{id}  forget everything stored for that conversation
    GET    /api/faq?q=&k=  ranked FAQ hits with the verbatim excerpt and its citation
    POST   /api/calc       the facts of `yibao calc` -> the rules engine's Result
    GET    /api/documents  the source documents and their passages
    GET    /metrics        Prometheus text: requests, latency, conversations, answers by kind, errors
    GET    /docs, /redoc   OpenAPI documentation, from files installed with the package

Sessions belong to the server: /api/chat without a session starts one and answers with its
id (128 random bits); an id the server did not issue to this client is 404, so nobody reads
another caller's conversation by guessing. Issued ids are stored with the client's name as
part of the key ("http:<client>:<id>") in the session store, so they survive a restart; each
client may start sessions_per_hour conversations an hour (429 beyond).

Like every face, this one computes no figure and matches no question: it calls bot.service.
A rejected request gets 400, 401, 404, 413, 422 or 429 with {"detail": one line of Chinese};
nothing a person typed is logged (bot.http.guard).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import json
import re
import secrets
import threading
from functools import lru_cache
from importlib import resources
from typing import Annotated, Any

from fastapi import FastAPI, HTTPException, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot import service
from bot.http.docs import add_docs
from bot.http.guard import Guard
from bot.http.limits import Window, retry_after
from bot.http.metrics import CONTENT_TYPE_LATEST, Metrics
from bot.http.models import (
    FIELD_ZH,
    MAX_HITS,
    MAX_QUERY,
    SESSION_PATTERN,
    AskRequest,
    AskResponse,
    CalcRequest,
    ChatRequest,
    ChatResponse,
    DocumentOut,
    ErrorBody,
    FaqResponse,
    ForgetResponse,
    Health,
    Passage,
    validation_message,
)
from bot.http.settings import LOCAL_CLIENT, HttpSettings
from bot.service import COVERAGE_ZH, STORE_DOWN, Group, KeyLocks, Result, Store, StoreError

KEY_PREFIX = "http:"
EXPIRE_EVERY = 3600.0  # seconds between two sweeps of old conversations
SESSION_BYTES = 16  # 128 bits
STATUS_ZH = {400: "请求体无法解析", 404: "没有这个地址", 405: "不支持这个请求方法", 413: "请求内容太大"}
UNKNOWN_SESSION = "没有这个会话：会话编号由服务器发放，它可能已过期或已删除；不带会话编号发送即开始新的会话"
SESSION_LIMIT = "本小时新开的会话已达上限（{limit}个），请{minutes}分钟后再试，或继续使用已有的会话"
Responses = dict[int | str, dict[str, Any]]
ERRORS: Responses = {
    400: {"model": ErrorBody, "description": "输入自相矛盾或无法计算"},
    422: {"model": ErrorBody, "description": "输入格式不对"},
}
EVERYWHERE: Responses = {
    401: {"model": ErrorBody, "description": "缺少或不认识接口密钥（配置了密钥时）"},
    413: {"model": ErrorBody, "description": "请求内容超过上限"},
    429: {"model": ErrorBody, "description": "请求太频繁（按客户端和地址限速），见 Retry-After"},
}
CHAT_ERRORS: Responses = {
    **ERRORS,
    404: {"model": ErrorBody, "description": "服务器没有发放过这个会话编号"},
    429: {"model": ErrorBody, "description": "请求太频繁，或本小时新开会话太多"},
}
CLI_FLAG = re.compile(r"（--([a-z-]+)[^）]*）")


class BadInput(Exception):
    """A request well formed but impossible (a contradiction in a history): 400."""


def chat_key(client: str, session: str) -> str:
    return f"{KEY_PREFIX}{client}:{session}"


def in_console_words(message: str) -> str:
    """A rules message as the console and the API say it: a command-line flag named in it
    ("（--born YYYY-MM-DD）") becomes the field's Chinese name ("（出生日期）")."""

    def field(m: re.Match) -> str:
        name = m.group(1).replace("-", "_")
        return f"（请填写“{FIELD_ZH.get(name, name)}”）"

    return CLI_FLAG.sub(field, message)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@lru_cache(maxsize=1)
def console_page() -> tuple[str, str]:
    """bot/http/console.html with the calc form's choices (groups, coverage names) filled in, and
    its Content-Security-Policy: only this page's own script and style (by hash) may run."""
    config = {
        "groups": [{"value": g.value, "label": g.label} for g in Group],
        "coverage": {c.value: label for c, label in COVERAGE_ZH.items()},
        "firstYear": service.first_year(),
        "lastYear": service.LAST_YEAR,
    }
    # "<" escaped so that no data can close the script element
    data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    page = resources.files("bot.http").joinpath("console.html").read_text(encoding="utf-8")
    page = page.replace("/*CONFIG*/null", data, 1)
    scripts = " ".join(_sha256(s) for s in re.findall(r"<script>(.*?)</script>", page, re.DOTALL))
    styles = " ".join(_sha256(s) for s in re.findall(r"<style>(.*?)</style>", page, re.DOTALL))
    csp = (
        f"default-src 'none'; script-src {scripts}; style-src {styles}; connect-src 'self'; "
        "img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
    return page, csp


def create_app(store: Store | None = None, settings: HttpSettings | None = None) -> FastAPI:
    """The application; `store` defaults to open_store() (SQLite, $YIBAO_STORE), `settings` to
    loopback hosts, no keys and the default limits."""
    store = store if store is not None else service.open_store()
    settings = settings or HttpSettings()
    metrics = Metrics()
    locks = KeyLocks(threading.Lock)
    started = Window(3600.0)
    limits = {c.name: c.limits for c in settings.clients} or {LOCAL_CLIENT: settings.local_limits}

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async def sweep() -> None:
            while True:
                await asyncio.sleep(EXPIRE_EVERY)
                await asyncio.to_thread(service.expire, store)

        task = asyncio.create_task(sweep())
        try:
            yield
        finally:
            task.cancel()

    app = FastAPI(
        title="渝医保问答 HTTP 接口",
        version="0.2.0",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        responses=EVERYWHERE,
        description="重庆城乡居民医保参保激励与等待期：问答、对话、政策检索、个人测算。"
        "配置了接口密钥时，除 /healthz 和页面外的地址都要在请求头 X-API-Key 中带上密钥。",
    )
    app.state.store = store
    app.state.metrics = metrics
    # innermost of Starlette's error middleware: it sees every exception first
    app.add_middleware(Guard, settings=settings, metrics=metrics)
    add_docs(app)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        metrics.errors.labels("invalid").inc()
        return JSONResponse({"detail": validation_message(exc.errors())}, status_code=422)

    @app.exception_handler(StoreError)
    async def _store_down(request: Request, exc: StoreError) -> JSONResponse:
        """The session store failed now: nothing of this message was kept; the caller may retry."""
        metrics.errors.labels("store").inc()
        return JSONResponse({"detail": STORE_DOWN}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(BadInput)
    async def _bad(request: Request, exc: BadInput) -> JSONResponse:
        metrics.errors.labels("impossible").inc()
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else None
        return JSONResponse(
            {"detail": detail or STATUS_ZH.get(exc.status_code, "请求无法处理")},
            status_code=exc.status_code,
            headers=exc.headers,
        )

    def client_of(request: Request) -> str:
        return getattr(request.state, "client", None) or LOCAL_CLIENT

    def issued(key: str) -> None:
        """404 unless the server issued this session to this client (and it is still kept)."""
        if store.load(key) is None:
            metrics.errors.labels("unknown_session").inc()
            raise HTTPException(404, UNKNOWN_SESSION)

    def start_session(client: str) -> str:
        limit = limits.get(client, settings.local_limits).sessions_per_hour
        wait = started.take(client, limit)
        if wait:
            metrics.errors.labels("session_limit").inc()
            minutes = max(1, round(wait / 60))
            raise HTTPException(
                429, SESSION_LIMIT.format(limit=limit, minutes=minutes), headers={"Retry-After": retry_after(wait)}
            )
        session = secrets.token_urlsafe(SESSION_BYTES)
        service.begin(store, chat_key(client, session))
        metrics.conversations.labels(client).inc()
        return session

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def console() -> HTMLResponse:
        page, csp = console_page()
        return HTMLResponse(page, headers={"Content-Security-Policy": csp, "Cache-Control": "no-store"})

    @app.get("/healthz", response_model=Health, summary="存活检查")
    def healthz() -> Health:
        return Health(status="ok")

    @app.get(
        "/metrics",
        summary="运行指标（Prometheus 文本格式）",
        response_class=Response,
        responses={200: {"content": {"text/plain": {}}, "description": "Prometheus 文本格式"}},
    )
    def metrics_text() -> Response:
        return Response(metrics.text(), media_type=CONTENT_TYPE_LATEST)

    @app.post("/api/ask", response_model=AskResponse, responses=ERRORS, summary="回答一个问题（同 yibao ask --json）")
    def ask(body: AskRequest) -> AskResponse:
        answer = service.ask(body.question, body.today or dt.date.today())
        metrics.answers.labels(answer.pop("kind")).inc()
        return AskResponse.model_validate(answer)

    @app.post(
        "/api/chat",
        response_model=ChatResponse,
        responses=CHAT_ERRORS,
        summary="对话的一轮；不带会话编号即开始新的会话",
    )
    def chat(body: ChatRequest, request: Request) -> ChatResponse:
        client = client_of(request)
        session = body.session or start_session(client)
        key = chat_key(client, session)
        with locks(key):
            issued(key)
            replies = service.turn(store, key, body.message, body.today or dt.date.today())
            if store.load(key) is None:  # "忘记我": the record is gone, the id stays the caller's
                service.begin(store, key)
        metrics.answers.labels(service.reply_kind(replies)).inc()
        return ChatResponse(session=session, replies=replies)

    @app.delete(
        "/api/chat/{session}",
        response_model=ForgetResponse,
        responses=CHAT_ERRORS,
        summary="删除这个会话保存的全部内容（之后这个编号不再可用）",
    )
    def forget(session: Annotated[str, Path(pattern=SESSION_PATTERN)], request: Request) -> ForgetResponse:
        key = chat_key(client_of(request), session)
        with locks(key):
            issued(key)
            store.forget(key)
        return ForgetResponse(session=session, forgotten=True)

    @app.get("/api/faq", response_model=FaqResponse, responses=ERRORS, summary="检索政策问答")
    def faq(
        q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)], k: Annotated[int, Query(ge=1, le=MAX_HITS)] = 5
    ) -> FaqResponse:
        if not q.strip():
            raise RequestValidationError([{"type": "string_too_short", "loc": ("query", "q")}])
        hits = service.search(q, k=k)
        metrics.answers.labels(service.KIND_FAQ if hits else service.KIND_REFUSED).inc()
        return FaqResponse(query=q, hits=hits)

    @app.post(
        "/api/calc",
        response_model=Result,
        responses=ERRORS,
        summary="个人大病保险封顶线、等待期和待遇开始日期（同 yibao calc --json）",
    )
    def calc(body: CalcRequest) -> Result:
        try:
            result = service.calc(
                body.target_year,
                enrolled=body.enrolled,
                elsewhere=body.elsewhere,
                employee=body.employee,
                zero_claim=body.zero_claim,
                reward_used=body.reward_used,
                backpaid=body.backpaid,
                group=body.group,
                born=body.born,
                paid_on=body.paid_on,
                today=body.today or dt.date.today(),
            )
        except service.CalcRefused as exc:
            raise BadInput(in_console_words(str(exc))) from None
        metrics.answers.labels(service.KIND_CALCULATION).inc()
        return result

    @app.get("/api/documents", response_model=list[DocumentOut], summary="政策来源文件及其条款")
    def documents() -> list[DocumentOut]:
        return [
            DocumentOut(
                id=d.id,
                name=d.name,
                title=d.title,
                number=d.number,
                issuer=d.issuer,
                date=d.date,
                kind=d.kind,
                passages=[Passage(id=p.id, article=p.article, heading=p.heading, text=p.text) for p in d.passages],
            )
            for d in service.documents()
        ]

    return app
