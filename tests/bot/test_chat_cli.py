"""`yibao chat` as a process: JSON lines, numbers for options, --session, and a process killed
with SIGKILL between two turns that continues after a restart."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys

import pytest

from tests.bot.conftest import missing

CHAT = [sys.executable, "-m", "bot", "chat"]


@pytest.fixture
def env(tmp_path):
    return dict(
        os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path), YIBAO_STORE=""
    )


def chat(env, lines, *args, today="2026-11-22"):
    p = subprocess.run(
        [*CHAT, "--json", "--today", today, *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr[-800:]
    assert "Traceback" not in p.stderr
    return [json.loads(line) for line in p.stdout.splitlines() if line.strip()]


def test_each_reply_is_one_json_line_with_text_options_sources_and_intent(env):
    out = chat(env, ["我2025年和2026年都参保了，2025年一次都没报销过，2026年的大病保险封顶线是多少？", "对"])
    assert all({"text", "options", "sources", "intent"} <= set(o) for o in out)
    answer = next(o for o in out if o["figures"])  # told whole: the result comes straight away
    assert "204,000" in answer["text"] and answer["figures"]["cap"] == 204000
    assert "逐年封顶线" in answer["details"] and "逐年封顶线" not in answer["text"]
    assert answer["sources"][0]["document"] and answer["sources"][0]["article"]


def test_typed_numbers_choose_the_last_options(env):
    # 3 = 都交了; 3 = 每年都报销过; 1 = 对
    out = chat(env, ["我的封顶线是多少", "3", "3", "1"])
    assert "200,000" in out[-1]["text"]


def test_several_numbers_tick_several_years(env):
    out = chat(env, ["我的封顶线是多少", "1 2", "都没报销过", "1"], today="2026-11-22")
    assert "208,000" in out[-1]["text"]


def test_a_payment_day_said_as_a_festival_finishes_the_benefit_start(env):
    out = chat(env, ["我什么时候可以开始报销", "2025年和2026年都交了", "国庆节过后几天", "对"])
    assert "哪天交的" in out[1]["text"]
    assert "2026年10月交的" in out[2]["text"]  # the month only: no day is made up
    assert out[-1]["text"].startswith("您从2027年1月1日起可以享受医保待遇")


def test_dev_dialogues_pass_through_the_command(env):
    import yaml

    from tests.bot.conftest import DEV_DIALOGUES

    for d in yaml.safe_load(DEV_DIALOGUES.read_text(encoding="utf-8"))["dialogues"]:
        out = chat(env, d["turns"], today=str(d["today"]))
        assert not missing("\n".join(o["text"] for o in out[1:]), d["expect"]), d["name"]


def test_a_run_without_session_starts_a_new_conversation(env):
    chat(env, ["我2025年和2026年都没交，2027年要等多久"])
    out = chat(env, ["没有补缴"])
    assert "个月" not in out[-1]["text"] and "我理解的是" not in out[-1]["text"]


def test_a_named_session_continues_in_the_next_run(env):
    chat(env, ["我2025年和2026年都没交，2027年要等多久"], "--session", "ann")
    chat(env, ["没有补缴"], "--session", "ann")
    out = chat(env, ["对"], "--session", "ann")
    assert "4个月" in out[-1]["text"]


def test_killed_between_two_turns_the_conversation_continues_after_restart(env):
    args = [*CHAT, "--json", "--today", "2026-11-22", "--session", "k"]
    proc = subprocess.Popen(
        args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    try:
        proc.stdin.write("断保了要等多久才能报销\n2025年没交，2026年12月交了2027年的\n")
        proc.stdin.flush()
        seen = []
        while not any("2026年" in line and "参加了医保" in line for line in seen):
            line = proc.stdout.readline()
            assert line, proc.stderr.read()[-800:]
            seen.append(line)
        proc.send_signal(signal.SIGKILL)  # between two turns: the next message is never sent
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.stdout.close()
        proc.stdin.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    out = chat(env, ["2026年也没交", "没有补缴", "对"], "--session", "k")
    assert "4个月" in out[-1]["text"]


def test_plain_output_numbers_the_options(env):
    p = subprocess.run(
        [*CHAT, "--today", "2026-11-22"],
        input="我的封顶线是多少\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert p.returncode == 0
    assert "1. 2025年" in p.stdout and "3. 都交了" in p.stdout


def test_empty_session_name_is_refused_in_one_line(env):
    p = subprocess.run([*CHAT, "--session", " "], input="", capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode == 2 and p.stderr.startswith("yibao:") and "Traceback" not in p.stderr


HISTORY = "我2025年和2026年都参保了，2025年一次都没报销过，2026年的大病保险封顶线是多少？"


def plain(env, lines, *args, today="2026-11-22") -> str:
    p = subprocess.run(
        [*CHAT, "--today", today, *args],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert p.returncode == 0, p.stderr[-800:]
    return p.stdout


def test_a_result_shows_its_figure_and_keeps_the_steps_and_excerpts_for_its_option(env):
    shown = plain(env, [HISTORY])
    assert "204,000元" in shown and "1. 依据" in shown
    assert "逐年封顶线" not in shown and "〔渝医保发" not in shown
    unfolded = plain(env, [HISTORY, "1"])  # the 依据 option by its number
    assert "逐年封顶线：2025年 200,000元；2026年 204,000元" in unfolded and "〔渝医保发〔2025〕42号" in unfolded


def test_explain_unfolds_the_steps_with_the_result(env):
    shown = plain(env, [HISTORY], "--explain")
    assert "204,000元" in shown and "逐年封顶线" in shown and "〔渝医保发〔2025〕42号" in shown
