"""The agent console in a real browser: Debian's chromium driven by Playwright against a real
`yibao serve`, at 1280x800 and at a phone's 390 pixels. A search with a copy, a calculation,
a chat with a button tap, 新来电; the keyboard alone; the docs pages offline. Every page is
watched for script errors, Content-Security-Policy violations and requests to other sites.

Screenshots are kept in tests/http/artifacts/ (ignored by git), named
console-<viewport>-<step>.png and docs-<page>.png.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect, sync_playwright

from bot.bench.http_bench import HISTORY, UNLIMITED, Served, request
from bot.conversation.store import MemoryStore
from bot.http.app import create_app
from tests.http.conftest import BASE, ROOMY

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).parent / "artifacts"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
TODAY = "2026-03-01"
WATCH = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__violations = window.__violations || []).push(e.violatedDirective + " " + e.blockedURI);
});"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with Served(tmp_path_factory.mktemp("browser"), args=UNLIMITED) as s:
        yield s


@pytest.fixture(scope="module")
def browser():
    assert shutil.which(CHROMIUM) or Path(CHROMIUM).exists(), "chromium is installed by .ci/run"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watched:
    """A page and everything wrong it showed: script errors, CSP violations, foreign requests."""

    def __init__(self, browser, base: str, viewport: dict, name: str) -> None:
        self.name, self.base = name, base
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        self.page: Page = self.context.new_page()
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.page.add_init_script(WATCH)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.route("**/*", self._only_ours)

    def _only_ours(self, route) -> None:
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.foreign.append(route.request.url)
            route.abort()

    def shot(self, step: str) -> str:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{step}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path.name

    def assert_clean(self) -> None:
        violations = self.page.evaluate("window.__violations || []")
        assert violations == [], violations
        assert self.errors == [], self.errors
        assert self.foreign == [], self.foreign

    def close(self) -> None:
        self.context.close()


def expected_calc(body: dict) -> dict:
    """What the engine says for the same facts (the API in-process): the page must show it."""
    with TestClient(create_app(MemoryStore(), ROOMY), base_url=BASE) as c:
        return c.post("/api/calc", json=body).json()


def yuan(n: int) -> str:
    return f"{n:,}"


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_call_searched_chatted_calculated_then_cleared_for_the_next(browser, server, viewport):
    w = Watched(browser, server.base, VIEWPORTS[viewport], f"console-{viewport}")
    page = w.page
    try:
        page.goto(server.base + "/")
        page.fill("#today", TODAY)

        # a search, and a copy of the cited excerpt
        page.fill("#search-q", "断保两年要等多久")
        page.press("#search-q", "Enter")
        first = page.locator("#search-results .hit").first
        expect(first).to_contain_text("4个月")
        assert first.locator("mark").count() > 0, "the matched words are highlighted"
        copy = first.get_by_role("button", name="复制原文")
        copy.click()
        expect(first.get_by_role("button", name="已复制")).to_be_visible()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("“") and "”（" in copied
        w.shot("1-search")

        # a chat: the history typed (told whole: the figure straight away), then its 依据 button tapped
        page.fill("#chat-input", HISTORY)
        page.press("#chat-input", "Enter")
        expect(page.locator("#chat-log")).to_contain_text("204,000元")
        basis = page.locator("#chat-log .options").get_by_role("button", name="依据", exact=True).last
        basis.click()
        expect(page.locator("#chat-log")).to_contain_text("逐年封顶线")
        session = page.inner_text("#chat-session")
        assert len(session) == 22
        w.shot("2-chat")

        # a calculation: the table follows the year; the short answer first, the steps folded
        page.fill("#calc-year", "2027")
        rows = page.locator("#calc-years tbody tr")
        expect(rows).to_have_count(3)
        page.select_option("select[aria-label='2026年参保情况']", label="未参保")
        page.fill("#calc-paid", "2026-12-20")
        page.get_by_role("button", name="计算").click()
        want = expected_calc({"target_year": 2027, "enrolled": [2025, 2027], "paid_on": "2026-12-20", "today": TODAY})
        answer = page.locator("#calc-answer")
        expect(answer).to_contain_text(yuan(want["cap"]["effective"]) + "元")
        expect(answer).to_contain_text(f"{want['waiting']['months']}个月")
        expect(answer).to_contain_text(want["benefits_from"])
        steps = page.locator("#calc-result details")
        expect(steps.locator("ol.trace")).to_be_hidden()
        steps.locator("summary").click()
        expect(steps.locator("ol.trace")).to_be_visible()
        expect(steps).to_contain_text("渝医保发〔2025〕37号")
        w.shot("3-calc")

        # a newborn: asked for the birth date in the console's words, then rows from the birth year
        page.select_option("#calc-group", label="新生儿")
        page.fill("#calc-year", "2026")
        page.get_by_role("button", name="计算").click()
        expect(page.locator("#calc-error")).to_have_text("新生儿请先填写出生日期")
        page.fill("#calc-born", "2026-02-03")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text("2026年")
        page.get_by_role("button", name="计算").click()
        expect(page.locator("#calc-error")).to_be_hidden()
        expect(page.locator("#calc-answer")).to_contain_text("2026年度大病保险封顶线")
        w.shot("4-newborn")

        # 新来电 from the keyboard: everything of the last caller is gone, on the page and on the server
        page.keyboard.press("Alt+n")
        expect(page.locator("#status")).to_contain_text("上一位来电人的会话记录已删除")
        assert page.locator("#chat-log .msg").count() == 0
        assert page.locator("#search-results *").count() == 0 and page.input_value("#search-q") == ""
        assert page.locator("#calc-result *").count() == 0
        assert page.input_value("#calc-group") == "general" and page.input_value("#calc-born") == ""
        assert page.evaluate("document.activeElement.id") == "search-q"
        gone = request(server.base + "/api/chat", {"session": session, "message": "yes"})
        assert gone[0] == 404
        w.shot("5-new-call")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORTS[viewport]["width"], f"the page scrolls sideways ({width}px)"
        w.assert_clean()
    finally:
        w.close()


def test_the_console_works_from_the_keyboard_alone(browser, server):
    w = Watched(browser, server.base, VIEWPORTS["desktop"], "console-keyboard")
    page = w.page
    try:
        page.goto(server.base + "/")
        reached = []
        for _ in range(40):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("document.activeElement.id || document.activeElement.textContent"))
        for control in (
            "new-call",
            "api-key",
            "today",
            "search-q",
            "检索",
            "chat-input",
            "发送",
            "calc-year",
            "calc-group",
            "calc-backpaid",
            "calc-paid",
            "计算",
        ):
            assert control in reached, (control, reached)
        # a chat by keyboard: type, Enter, then focus the 依据 button and Enter
        page.focus("#chat-input")
        page.keyboard.type(HISTORY)
        page.keyboard.press("Enter")
        expect(page.locator("#chat-log")).to_contain_text("204,000元")
        basis = page.locator("#chat-log .options").get_by_role("button", name="依据", exact=True).last
        expect(basis).to_be_visible()
        basis.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#chat-log")).to_contain_text("逐年封顶线")
        w.shot("1-chat")
        w.assert_clean()
    finally:
        w.close()


@pytest.mark.parametrize("path, title", [("/docs", ".swagger-ui .info .title"), ("/redoc", "h1")])
def test_the_docs_render_offline_from_the_server_s_own_files(browser, server, path, title):
    w = Watched(browser, server.base, VIEWPORTS["desktop"], "docs" + path.replace("/", "-"))
    try:
        w.page.goto(server.base + path)
        expect(w.page.locator(title).first).to_contain_text("渝医保问答 HTTP 接口", timeout=20_000)
        w.shot("page")
        w.assert_clean()
    finally:
        w.close()


def test_with_keys_the_console_asks_for_one_and_works_once_it_is_given(browser, tmp_path):
    key = "console-key-" + "k" * 20
    keys = tmp_path / "keys.txt"
    keys.write_text(f"desk-a {key}\n", encoding="utf-8")
    with Served(tmp_path, args=["--keys", str(keys)]) as s:
        w = Watched(browser, s.base, VIEWPORTS["desktop"], "console-key")
        page = w.page
        try:
            page.goto(s.base + "/")
            page.fill("#search-q", "断保两年要等多久")
            page.press("#search-q", "Enter")
            expect(page.locator("#search-error")).to_have_text("缺少接口密钥：请在请求头 X-API-Key 中提供")
            page.fill("#api-key", key)
            page.press("#search-q", "Enter")
            expect(page.locator("#search-results .hit").first).to_contain_text("4个月")
            expect(page.locator("#search-error")).to_be_hidden()
            w.shot("1-search")
            w.errors = [e for e in w.errors if "401" not in e]  # the refused fetch, as chromium reports it
            w.assert_clean()
        finally:
            w.close()
