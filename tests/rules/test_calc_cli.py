"""`yibao calc` as a script and a person use it: JSON fields, the human table, exit code 2 on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

EXE = os.environ.get("YIBAO_EXE")


def calc(*args: str) -> subprocess.CompletedProcess:
    command = [EXE] if EXE else [sys.executable, "-m", "bot"]
    return subprocess.run(
        [*command, "calc", *args], capture_output=True, text=True, timeout=60, env=dict(os.environ, COLUMNS="200")
    )


def test_json_gives_cap_waiting_start_and_a_cited_trace():
    p = calc("--json", "--year", "2027", "--enrolled", "2027", "--paid-on", "2026-12-15")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["cap"]["effective"] == 192000
    assert r["waiting"]["months"] == 4
    assert r["benefits_from"] == "2027-05-01"
    assert r["trace"] and all(step["citation"]["document"] and step["citation"]["quote"] for step in r["trace"])
    assert [row["year"] for row in r["cap_by_year"]] == [2025, 2026, 2027]


def test_year_lists_take_ranges_and_full_width_commas():
    p = calc(
        "--json",
        "--year",
        "2030",
        "--enrolled",
        "2025－2027，2029、2030",
        "--employee",
        "2028",
        "--zero-claim",
        "2025",
        "--reward-used",
        "2027",
        "--paid-on",
        "2029-12-01",
    )
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert [row["coverage"] for row in r["cap_by_year"]] == ["chongqing"] * 3 + ["employee"] + ["chongqing"] * 2
    assert r["cap"]["continuous"] == 4000 and r["cap"]["zero_claim"] == 0
    assert r["cap"]["effective"] == 204000


def test_the_issue_example_runs_with_a_switch_year():
    p = calc(
        "--json",
        "--year",
        "2028",
        "--enrolled",
        "2025-2026,2028",
        "--elsewhere",
        "2027",
        "--employee",
        "2027",
        "--zero-claim",
        "2025",
        "--reward-used",
        "2027",
        "--backpaid",
        "0",
        "--paid-on",
        "2027-12-10",
    )
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["cap"]["effective"] == 200000 and r["waiting"]["months"] == 0
    assert r["benefits_from"] == "2028-01-01"


def test_newborn_flags_reach_the_engine():
    p = calc(
        "--json",
        "--year",
        "2026",
        "--enrolled",
        "2026",
        "--group",
        "newborn",
        "--born",
        "2026-03-01",
        "--paid-on",
        "2026-04-15",
    )
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["benefits_from"] == "2026-03-01"


def test_human_output_shows_figures_table_and_citations():
    p = calc("--year", "2027", "--enrolled", "2027", "--backpaid", "1", "--paid-on", "2026-12-15")
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert "192,000元" in out and "待遇等待期：3个月" in out and "2027-04-01" in out
    assert "逐年封顶线" in out and "2026" in out
    assert "渝医保发〔2025〕37号" in out and "每多补缴1年的费用可以减少1个月的变动等待期" in out
    assert "经办机构" in out


@pytest.mark.parametrize(
    "args,needle",
    [
        (["--year", "2027", "--enrolled", "2025-2027", "--elsewhere", "2026"], "同一年度"),
        (["--year", "2027", "--enrolled", "2024,2027"], "早于2025年"),
        (["--year", "2026", "--enrolled", "2025-2027"], "晚于所问的参保年度"),
        (["--year", "2027", "--enrolled", "2027", "--backpaid", "3"], "多于断保年数"),
        (["--year", "2026", "--enrolled", "2026", "--group", "newborn"], "出生日期"),
        (["--year", "2026", "--enrolled", "2026", "--paid-on", "2026-02-30"], "不是有效日期"),
        (["--year", "1990"], "超出可计算范围"),
        (["--year", "3025"], "超出可计算范围"),
        (["--year", "2027", "--enrolled", "2027", "--zero-claim", "2026"], "没有参保"),
        (["--year", "2027", "--enrolled", "2027-2025"], "倒置"),
        (["--year", "2027", "--enrolled", "去年"], "不是年份"),
        (["--year", "2027", "--backpaid", "-1"], "负数"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_2(args, needle):
    p = calc(*args)
    assert p.returncode == 2
    lines = p.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], p.stderr
    assert "Traceback" not in p.stderr and p.stdout == ""
