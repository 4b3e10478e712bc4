"""Facts told in forms that used to be lost or misread: years in Chinese numerals listed without
年, a payment month whose year is the one it pays for, 交的+year, a birth certificate named at
enrolment, a denial echoed as "啥子X哦", two years or two figures asked in one message."""

from __future__ import annotations

import datetime as dt

from intents.slots import extract
from tests.bot.conftest import Talk


def test_years_in_chinese_numerals_listed_without_nian_are_facts():
    slots = extract("二〇二六、二〇二七这两年我们家都没有交医保", dt.date(2027, 12, 1))
    assert [(f.year, f.status) for f in slots.facts] == [(2026, "uninsured"), (2027, "uninsured")]


def test_a_month_without_year_before_the_year_paid_for_is_in_its_collection_period():
    slots = extract("2024年我在外地，11月交了2026年的", dt.date(2026, 12, 20))
    assert slots.paid_month == (2025, 11)
    slots = extract("我是3月交的2026年度", dt.date(2026, 12, 20))
    assert slots.paid_month == (2026, 3)


def test_paid_with_de_before_the_year_names_the_year_paid_for_not_the_one_before():
    slots = extract("2025年断了，2025年11月交的2026年", dt.date(2026, 12, 1))
    statuses = {(f.year, f.status) for f in slots.facts}
    assert (2025, "uninsured") in statuses and (2026, "insured") in statuses
    assert (2025, "insured") not in statuses and slots.conflicts == []


def test_a_birth_certificate_brought_to_enrol_dates_the_payment_not_the_birth():
    slots = extract("闺女2026年8月1号出世，10月9号带出生证明去办的医保", dt.date(2026, 12, 1))
    assert slots.born == dt.date(2026, 8, 1) and slots.paid_on == dt.date(2026, 10, 9)


def test_a_first_payment_of_a_year_files_that_year_as_insured():
    slots = extract("2027年度头一回交", dt.date(2026, 12, 1))
    assert [(f.year, f.status) for f in slots.facts] == [(2027, "insured")]


def test_an_echoed_term_denied_is_an_answer_not_a_question():
    talk = Talk("2027-12-20")
    talk.say("二〇二五、二〇二六、二〇二七，这几年我们家一个都没参保")
    noted = talk.say("啥子补缴哦，没得")
    assert noted[0].intent == "noted", [r.text for r in noted]
    assert talk.state is not None and talk.state.facts.backpaid == 0


def test_two_years_asked_each_get_their_own_cap():
    talk = Talk("2028-02-01")
    talk.say("2027年没交医保，今年和明年的大病封顶线分别是多少？")
    talk.say("2025、2026年交了，都报销过，2028年交了")
    replies = talk.say("没补缴")
    replies += talk.say("对")
    texts = "\n".join(r.text for r in replies)
    assert "2028年您的大病保险最高支付限额是196,000元" in texts, texts
    assert "2029年您的大病保险最高支付限额是200,000元" in texts, texts


def test_a_waiting_date_and_a_cap_asked_together_are_both_answered():
    talk = Talk("2027-01-05")
    replies = talk.say("2026年没交，2026年12月10号交了2027年的，我想问好久能报销，另外今年封顶线是好多")
    replies += talk.say("2025年交了，也报过")
    replies += talk.say("没有补缴")
    replies += talk.say("对")
    texts = "\n".join(r.text for r in replies)
    assert "196,000元" in texts and "2027年4月1日" in texts, texts
