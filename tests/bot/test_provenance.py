"""A question asking where a rule is written gets the documents of the answer's sources first."""

from __future__ import annotations

import datetime as dt

from bot.service import ask


def test_asking_which_document_names_the_cited_documents_before_the_answer():
    result = ask("新生儿90天内参保从出生起享受待遇，这个规定依据的是什么文件", dt.date(2026, 12, 1))
    head = result["answer"].splitlines()[0]
    assert head.startswith("出处：") and "渝医保发〔2025〕37号" in head
    assert any(s["document"] in head for s in result["sources"])


def test_a_question_not_asking_for_the_source_gets_no_source_line():
    result = ask("新生儿出生90天内参保从哪天开始享受待遇", dt.date(2026, 12, 1))
    assert not result["answer"].startswith("出处：")
    assert result["sources"]
