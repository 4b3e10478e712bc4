"""A general question on the incentives stating a number of years (第N年, 连续N年, 交到Y年, N年零报销)
or asking how long the ceiling takes: the reply opens with the worked figure, then the entry's
answer as before; a question without a count, or telling a history of one's own, is answered as before."""

from __future__ import annotations

import datetime as dt

import pytest

from bot.answers.incentives import ENTRY_KIND
from bot.service import ask
from faq import load

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        (
            "一直交医保，交到第9年封顶线能提高多少",
            "连续参保到第9年（2033年度）：满4年后又连续5年，连续参保激励提高5×4000=20000元。封顶线20万元+20000元=22万元",
        ),
        (
            "连续参保满十二年，大病封顶线会加好多",
            "连续参保到第12年（2036年度）：满4年后又连续8年，连续参保激励提高8×4000=32000元",
        ),
        (
            "从2025年一直交到2030年，连续参保的奖励有多少",
            "连续参保到第6年（2030年度）：满4年后又连续2年，连续参保激励提高2×4000=8000元",
        ),
        (
            "连续参保四年，封顶线提高了吗",
            "连续参保到第4年（2028年度）：刚满4年，还没有提高，要再连续参保1年（第5年）才提高4000元。封顶线仍是20万元。",
        ),
        (
            "零报销一共三年，额度可以累积到多少",
            "零报销3年：每个零报销年度，次年正常参保的，次年提高4000元；3个零报销年度累计提高3×4000=12000元",
        ),
        (
            "连续参保20年的话奖励有没有上限",
            "两项激励合计64000元，超过上限：最多提高基础封顶线20万元的20%即40000元，封顶线20万元+40000元=24万元。",
        ),
        (
            "只靠零报销激励，要几年才能加满",
            "只靠零报销：要有10个零报销年度（每年都参保，前10年都零报销），第11年（从2025年度连续参保算，是2035年度）加满40000元",
        ),
        (
            "两个激励同时拿，多少年能加到最高",
            "两项都有（每年连续参保、每年都零报销）：连续参保激励16000元+零报销激励28000元=44000元，第8年",
        ),
    ],
)
def test_a_count_opens_the_incentive_answer_with_its_figure(question, opening):
    result = ask(question, TODAY)
    entry = load().entry(result["intent"])
    assert result["intent"] in ENTRY_KIND
    first, _, rest = result["answer"].partition("\n")
    assert opening in first
    assert rest.startswith(entry.answer)


@pytest.mark.parametrize(
    "question",
    ["连续参保激励是怎么规定的？", "零报销激励能不能累积", "两个激励加起来最多能提高多少"],
)
def test_a_question_without_a_count_is_answered_as_before(question):
    result = ask(question, TODAY)
    assert result["answer"].startswith(load().entry(result["intent"]).answer)
    assert "连续参保到第" not in result["answer"] and "零报销激励累计" not in result["answer"]


def test_a_history_of_ones_own_year_by_year_gets_no_count_opening():
    result = ask("我2025年交了2026年断了2027年又交了，连续参保奖励有多少", TODAY)
    assert "连续参保到第" not in result["answer"]
