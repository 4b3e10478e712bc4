"""`yibao faq` as an agent and a script use it."""

from __future__ import annotations

import io
import json

import pytest

from bot.cli.main import main


def test_batch_mode_prints_one_json_array_per_input_line(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO("集中参保期是什么时候\n\n公积金怎么提取\n"))
    assert main(["faq", "--json", "-k", "3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    first = json.loads(lines[0])
    assert first and len(first) <= 3
    assert "9月" in first[0]["answer"]
    for key in ("question", "answer", "excerpt", "document", "article", "score"):
        assert key in first[0]
    assert json.loads(lines[1]) == [] and json.loads(lines[2]) == []


def test_query_with_json_prints_the_hits(capsys):
    assert main(["faq", "--json", "-k", "1", "大病保险起付线多少"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert len(hits) == 1 and "19856" in hits[0]["answer"]
    assert hits[0]["document"].startswith("渝医保发〔2025〕42号")


def test_human_output_shows_excerpt_and_citation(capsys):
    assert main(["faq", "-k", "1", "断保一年有多长等待期"]) == 0
    out = capsys.readouterr().out
    assert "3个月" in out
    assert "——" in out and "《" in out


def test_nothing_found_names_the_hotline(capsys):
    assert main(["faq", "明天天气怎么样"]) == 0
    out = capsys.readouterr().out
    assert "没有找到" in out and "12393" in out


def test_bad_k_is_one_line_and_exit_code_two(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["faq", "-k", "0", "等待期"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("yibao:") and len(err.strip().splitlines()) == 1
