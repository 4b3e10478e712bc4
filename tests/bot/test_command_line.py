"""The command line's contract: argparse speaks Chinese, --version, --today within the years the
rules cover, conflicting calc flags refused; every refusal one line and exit code 2."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bot.cli.main import version
from bot.service import covered_years

YIBAO = [sys.executable, "-m", "bot"]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*YIBAO, *args], capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)


def refused(*args: str) -> str:
    p = run(*args)
    assert p.returncode == 2 and p.stderr.count("\n") == 1 and p.stderr.startswith("yibao: "), p.stderr
    assert not re.search(r"[a-z]{3,} [a-z]{3,}", p.stderr.replace("--", " ")), f"English words: {p.stderr}"
    return p.stderr


@pytest.mark.parametrize(
    "args,words",
    [
        (["calc"], "缺少必需的参数"),
        (["nosuch"], "无效"),
        (["ask", "--today"], "需要一个值"),
        (["faq", "-k", "x"], "不是整数"),
        (["ask", "--nosuch", "x"], "无法识别的参数"),
        (["ask", "--today", "2026-02-30", "x"], "不是有效日期"),
    ],
)
def test_usage_errors_are_in_chinese(args, words):
    assert words in refused(*args)


def test_help_is_in_chinese():
    p = run("ask", "--help")
    assert p.returncode == 0 and "用法：" in p.stdout and "显示本帮助并退出" in p.stdout
    assert "usage:" not in p.stdout and "show this help" not in p.stdout


def test_version_names_the_installed_release():
    p = run("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"yibao {version()}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", version())


def test_today_is_limited_to_the_years_the_rules_cover():
    first, last = covered_years()
    assert first == 2025  # the first policy parameter takes effect on 2025-01-01
    for day in ("1900-01-01", f"{first - 1}-12-31", f"{last + 1}-01-01", "3000-06-01"):
        for command in (
            ["ask", "--today", day, "断保一年要等多久"],
            ["chat", "--today", day],
            ["calc", "--year", "2027", "--enrolled", "2027", "--today", day],
        ):
            assert "超出政策覆盖的年份" in refused(*command)
    assert run("ask", "--today", f"{first}-01-01", "断保一年要等多久").returncode == 0


def test_a_year_in_two_calc_flags_is_an_error_or_said_as_a_switch_never_dropped():
    assert "同一年度" in refused("calc", "--year", "2027", "--enrolled", "2025-2027", "--elsewhere", "2026")
    p = run("calc", "--year", "2027", "--enrolled", "2025-2026", "--employee", "2026", "--today", "2026-12-20")
    assert p.returncode == 0 and "2026年既有居民医保又有职工医保" in p.stdout
