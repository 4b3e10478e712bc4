"""The answer shows only figures the engine's trace states, with cited excerpts and a next step."""

from __future__ import annotations

import re

import pytest

from tests.bot.conftest import Talk

CASES = [
    ("2026-11-22", ["我2025年和2026年都参保了，2025年一次都没报销过", "2026年的大病保险封顶线是多少？", "对"]),
    ("2026-11-22", ["我2025年和2026年都没交，2027年要等多久", "补缴了1年", "对"]),
    ("2026-11-22", ["我2025年交了，2026年没交，2026年12月10日交了2027年的，什么时候能报销", "没有补缴", "对"]),
    ("2028-11-22", ["我2025年交了，2026到2028年都没交，2029年封顶线多少", "报销过", "对"]),
]


def _numbers(text: str) -> set[str]:
    return {n.replace(",", "") for n in re.findall(r"\d[\d,]*", text)}


@pytest.mark.parametrize("today, turns", CASES)
def test_every_figure_of_the_first_sentences_is_in_the_trace(today, turns):
    from bot.conversation.history import to_history
    from rules import evaluate

    talk = Talk(today)
    for turn in turns[:-1]:
        talk.say(turn)
    state = talk.state
    answer = talk.say(turns[-1])[-1]
    assert answer.figures, answer.text  # the computed answer, not another question
    result = evaluate(to_history(state, talk.today))
    trace = " ".join(s.text for s in result.trace).replace("-", " ")
    head = answer.text.split("\n")[0]
    head = re.sub(r"（[\d.]+万元）", "", head)  # the same figure in 万元
    head = re.sub(r"(\d{4})年(\d{1,2})月(\d{1,2})日", lambda m: f"{m[1]} {int(m[2]):02d} {int(m[3]):02d}", head)
    missing = [n for n in _numbers(head) if not any(n in t for t in _numbers(trace) | {trace})]
    assert not missing, (head, trace)


def test_answer_carries_excerpts_with_document_and_article_the_caveat_and_a_next_step():
    talk = Talk("2026-11-22")
    talk.say("我2025年和2026年都没交，2027年要等多久")
    talk.say("没有补缴")
    answer = talk.say("对")[-1]
    assert 1 <= len(answer.sources) <= 2
    for source in answer.sources:
        assert "号" in source.document or "报" in source.document
        assert source.article and len(source.excerpt) > 10
    assert "医保经办机构核定为准" in answer.text and "12393" in answer.text
    assert [o.value for o in answer.options[:2]] == ["details", "whatif:backpay"]


def test_a_reduced_cap_after_a_break_is_explained():
    talk = Talk("2028-11-22")
    talk.say("我2025年交了，2026到2028年都没交，2029年封顶线多少")
    talk.say("报销过")
    answer = talk.say("对")[-1]
    assert "188,000" in answer.text  # 3 broken years: 200,000 - 3 x 4,000
    assert "降低" in answer.text
