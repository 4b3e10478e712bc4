"""The HTTP face of yibao: a JSON API and the hotline agents' console (`yibao serve`).

    GET    /               the agent console (one self-contained page, no external resources)
    GET    /healthz        {"status": "ok"}
    POST   /api/ask        {question, today?} -> the object `yibao ask --json` prints
    POST   /api/chat       {session, message, today?} -> {session, replies: [Reply]}
    DELETE /api/chat/{id}  forget everything stored for that conversation
    GET    /api/faq?q=&k=  ranked FAQ hits with the verbatim excerpt and its citation
    POST   /api/calc       the facts of `yibao calc` -> the rules engine's Result
    GET    /api/documents  the source documents and their passages
    GET    /docs           OpenAPI documentation

Like every face, this one computes no figure and matches no question: /api/ask runs the
function `yibao ask` runs, /api/chat the dialogue manager (bot.conversation.session.turn, key
"http:<session>", state saved before the reply goes out), /api/faq faq.search, /api/calc
rules.evaluate. A rejected request gets 400, 413 or 422 with {"detail": one line of
Chinese}; nothing a person typed is logged (bot.http.guard).
"""
from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import threading
import weakref
from functools import lru_cache
from importlib import resources
from typing import Annotated

from fastapi import FastAPI, Path, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.http.guard import Guard
from bot.http.models import (MAX_HITS, MAX_QUERY, SESSION_PATTERN, AskRequest, AskResponse, CalcRequest,
                             ChatRequest, ChatResponse, DocumentOut, ErrorBody, FaqResponse,
                             ForgetResponse, Health, Passage, validation_message)
from bot.conversation.store import Store, open_store, session_max_age
from rules import Result

KEY_PREFIX = "http:"
EXPIRE_EVERY = 3600.0  # seconds between two sweeps of old conversations
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
STATUS_ZH = {400: "请求体无法解析", 404: "没有这个地址", 405: "不支持这个请求方法", 413: "请求内容太大"}
ERRORS = {400: {"model": ErrorBody, "description": "输入自相矛盾或无法计算"},
          422: {"model": ErrorBody, "description": "输入格式不对"}}


class _KeyLocks:
    """One lock per conversation, so two requests of one session never interleave a turn."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: weakref.WeakValueDictionary[str, threading.Lock] = weakref.WeakValueDictionary()

    def __call__(self, key: str) -> threading.Lock:
        with self._guard:
            lock = self._locks.get(key)
            if lock is None:
                lock = threading.Lock()
                self._locks[key] = lock
            return lock


class BadInput(Exception):
    """A request well formed but impossible (a contradiction in a history): 400."""


def chat_key(session: str) -> str:
    return KEY_PREFIX + session


@lru_cache(maxsize=1)
def console_page() -> str:
    """bot/http/console.html with the calc form's choices (groups, coverage names) filled in."""
    from rules.models import COVERAGE_ZH, GROUP_ZH

    config = {"groups": [{"value": g.value, "label": label} for g, label in GROUP_ZH.items()],
              "coverage": {c.value: label for c, label in COVERAGE_ZH.items()},
              "firstYear": 2025, "lastYear": 2100}
    # "<" escaped so that no data can close the script element
    data = json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
    page = resources.files("bot.http").joinpath("console.html").read_text(encoding="utf-8")
    return page.replace("/*CONFIG*/null", data, 1)


def warm() -> None:
    """Build the matcher and the search index now rather than on the first call."""
    from bot.conversation.router import understand
    from faq import search

    understand("断保")
    search("断保", k=1)


def create_app(store: Store | None = None) -> FastAPI:
    """The application; `store` defaults to open_store() (SQLite, $YIBAO_STORE)."""
    store = store if store is not None else open_store()
    locks = _KeyLocks()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        async def sweep() -> None:
            while True:
                await asyncio.sleep(EXPIRE_EVERY)
                await asyncio.to_thread(store.expire, session_max_age())

        task = asyncio.create_task(sweep())
        try:
            yield
        finally:
            task.cancel()

    app = FastAPI(title="渝医保问答 HTTP 接口", version="0.1.0", lifespan=lifespan,
                  description="重庆城乡居民医保参保激励与等待期：问答、对话、政策检索、个人测算。")
    app.state.store = store
    app.add_middleware(Guard)  # innermost of Starlette's error middleware: it sees every exception first

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"detail": validation_message(exc.errors())}, status_code=422)

    @app.exception_handler(BadInput)
    async def _bad(request: Request, exc: BadInput) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) and not exc.detail.isascii() else None
        return JSONResponse({"detail": detail or STATUS_ZH.get(exc.status_code, "请求无法处理")},
                            status_code=exc.status_code, headers=exc.headers)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def console() -> HTMLResponse:
        return HTMLResponse(console_page(), headers={
            "Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})

    @app.get("/healthz", response_model=Health, summary="存活检查")
    def healthz() -> Health:
        return Health(status="ok")

    @app.post("/api/ask", response_model=AskResponse, responses=ERRORS, summary="回答一个问题（同 yibao ask --json）")
    def ask(body: AskRequest) -> AskResponse:
        from bot.cli.ask import answer

        return AskResponse.model_validate(answer(body.question, body.today or dt.date.today()))

    @app.post("/api/chat", response_model=ChatResponse, responses=ERRORS, summary="对话的一轮")
    def chat(body: ChatRequest) -> ChatResponse:
        from bot.conversation.session import turn

        key = chat_key(body.session)
        with locks(key):
            replies = turn(store, key, body.message, body.today or dt.date.today())
        return ChatResponse(session=body.session, replies=replies)

    @app.delete("/api/chat/{session}", response_model=ForgetResponse, responses=ERRORS,
                summary="删除这个会话保存的全部内容")
    def forget(session: Annotated[str, Path(pattern=SESSION_PATTERN)]) -> ForgetResponse:
        key = chat_key(session)
        with locks(key):
            store.forget(key)
        return ForgetResponse(session=session, forgotten=True)

    @app.get("/api/faq", response_model=FaqResponse, responses=ERRORS, summary="检索政策问答")
    def faq(q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY)],
            k: Annotated[int, Query(ge=1, le=MAX_HITS)] = 5) -> FaqResponse:
        from faq import search

        if not q.strip():
            raise RequestValidationError([{"type": "string_too_short", "loc": ("query", "q")}])
        hits = search(q, k=k)
        return FaqResponse(query=q, hits=hits)

    @app.post("/api/calc", response_model=Result, responses=ERRORS,
              summary="个人大病保险封顶线、等待期和待遇开始日期（同 yibao calc --json）")
    def calc(body: CalcRequest) -> Result:
        from rules import History, RulesError, error_message, evaluate

        try:
            history = History.from_lists(
                body.target_year, enrolled=body.enrolled, elsewhere=body.elsewhere, employee=body.employee,
                zero_claim=set(body.zero_claim), reward_used=set(body.reward_used), backpaid=body.backpaid,
                group=body.group, born=body.born, paid_on=body.paid_on, today=body.today or dt.date.today())
            return evaluate(history)
        except (ValidationError, RulesError) as exc:
            raise BadInput(error_message(exc)) from None

    @app.get("/api/documents", response_model=list[DocumentOut], summary="政策来源文件及其条款")
    def documents() -> list[DocumentOut]:
        from faq import load

        return [DocumentOut(id=d.id, name=d.name, title=d.title, number=d.number, issuer=d.issuer,
                            date=d.date, kind=d.kind,
                            passages=[Passage(id=p.id, article=p.article, heading=p.heading, text=p.text)
                                      for p in d.passages])
                for d in load().documents]

    return app

