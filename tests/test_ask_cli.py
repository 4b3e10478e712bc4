"""`yibao ask` as a person or a script runs it."""
import json
import subprocess
import sys

import pytest


def ask(*argv, stdin=None):
    code = "import sys; from bot.cli import main; sys.exit(main())"
    return subprocess.run([sys.executable, "-c", code, "ask", *argv], input=stdin,
                          capture_output=True, text=True, timeout=60)


def test_faq_question_answers_with_the_fact_and_a_cited_excerpt():
    p = ask("--json", "集中参保期是什么时候")
    assert p.returncode == 0, p.stderr
    r = json.loads(p.stdout)
    assert r["intent"] == "collection_period"
    assert "9月" in r["answer"]
    assert r["sources"] and all(s["document"] and s["excerpt"] for s in r["sources"])


def test_off_topic_is_refused_with_the_hotline():
    r = json.loads(ask("--json", "公积金怎么提取").stdout)
    assert r["intent"] is None
    assert "12393" in r["answer"]


def test_batch_mode_answers_every_line_even_an_empty_one():
    p = ask("--json", stdin="你好\n\n谢谢\n")
    lines = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(lines) == 3
    assert lines[0]["intent"] == "greeting"
    assert lines[1]["intent"] is None and lines[1]["answer"]
    assert lines[2]["intent"] == "thanks"


@pytest.mark.parametrize("question", ["😀😀", "x" * 5000, "1990年", "hello there"])
def test_bad_input_gets_a_polite_reply_not_a_traceback(question):
    p = ask("--json", question)
    assert p.returncode == 0
    assert "Traceback" not in p.stderr
    assert json.loads(p.stdout)["answer"]


def test_human_output_shows_the_answer_and_the_source():
    p = ask("男职工的配偶能享受生育保险待遇吗")
    assert "6个月" in p.stdout
    assert "——" in p.stdout
