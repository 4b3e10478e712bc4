"""Facts told in forms that used to be lost or misread: years in Chinese numerals listed without
年, a payment month whose year is the one it pays for, 交的+year, a birth certificate named at
enrolment, a denial echoed as "啥子X哦", two years or two figures asked in one message, a break of N
years opened at a named year, a year paid for said as "2027年度的"."""

from __future__ import annotations

import datetime as dt

from intents.slots import extract
from tests.bot.conftest import Talk
from tests.bot.test_one_shot import one_shot


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


def test_a_break_of_n_years_opened_at_a_named_year_covers_each_of_those_years():
    slots = extract("我打2026年起就连着两年没买医保，2027年12月份买了2028年的", dt.date(2028, 3, 1))
    told = {(f.year, f.status) for f in slots.facts}
    assert {(2026, "uninsured"), (2027, "uninsured"), (2028, "insured")} <= told


def test_a_year_opening_the_payments_does_not_open_the_break():
    slots = extract("从2025年起一直交，后头2028年断了一年", dt.date(2028, 12, 1))
    assert (2026, "uninsured") not in {(f.year, f.status) for f in slots.facts}


def test_paid_for_a_year_du_de_names_the_year_paid_for_not_the_years_before():
    slots = extract("婆婆2026年没有交，2026年11月交了2027年度的", dt.date(2027, 2, 1))
    told = {(f.year, f.status) for f in slots.facts}
    assert (2026, "uninsured") in told and (2027, "insured") in told and (2026, "insured") not in told


def test_a_break_opened_at_a_year_is_answered_in_one_message_with_the_waiting_months():
    replies = one_shot("我打2025年起就连着三年没买医保，2027年12月份买了2028年的，哪天起能报销？", dt.date(2028, 3, 1))
    text = "\n".join(r.text for r in replies)
    assert "2028年您的等待期是5个月" in text and "2028年6月1日" in text, text
    assert text.count("等待期是5个月") == 1, text  # the waiting period and its date: one answer


def test_the_waiting_months_and_the_date_asked_apart_get_one_answer_that_gives_both():
    replies = one_shot(
        "2025年和2026年我都断了，2026年12月交的2027年，等待期几个月？几号起能看病报销？", dt.date(2027, 1, 5)
    )
    text = "\n".join(r.text for r in replies)
    assert "2027年5月1日" in text and text.count("等待期是4个月") == 1, text


def test_admitted_to_a_college_makes_a_student_and_a_secondary_school_does_not():
    assert extract("外孙女考到重庆来读大一了", dt.date(2026, 12, 1)).group == "student"
    assert extract("儿子今年考上高中了", dt.date(2026, 12, 1)).group is None


def test_insured_all_along_in_one_named_way_files_the_years_that_way():
    replies = one_shot(
        "我侄儿一直是在贵州那边交的医保，今年9月考进重庆的学校，9月20号在学校交了2027年度的，哪天起能报？",
        dt.date(2026, 12, 1),
    )
    text = "\n".join(r.text for r in replies)
    assert "2025、2026年在外地参加居民医保" in text and "2026年9月21日" in text, text


def test_one_message_without_a_payment_date_gets_the_waiting_months_with_the_default_said():
    replies = one_shot("我家老三2025年没有参保，2026年参了保，等待期有几个月", dt.date(2026, 12, 2))
    text = "\n".join(r.text for r in replies)
    assert "2026年您的等待期是3个月" in text and "没说哪天交的" in text, text
    assert "还需要知道" not in text, text


def test_a_bare_verb_after_a_year_files_that_year_as_paid():
    slots = extract("2025到2027年都没交，2028年交，等好久", dt.date(2027, 12, 1))
    assert (2028, "insured") in {(f.year, f.status) for f in slots.facts}


def test_the_year_a_message_says_it_is_now_dates_its_last_year_and_this_year():
    slots = extract("现在已经是2028年了，我去年没交，今年交了", dt.date(2026, 12, 2))
    told = {(f.year, f.status) for f in slots.facts}
    assert (2027, "uninsured") in told and (2028, "insured") in told


def test_a_count_of_years_whose_money_was_back_paid_is_the_back_payment():
    assert extract("后来把3年的保费都补上了", dt.date(2028, 12, 1)).backpaid == 3
    assert extract("2025年的补了", dt.date(2028, 12, 1)).backpaid is None  # a year, not a count


def test_mo_before_a_verb_is_the_dialect_no():
    assert extract("莫补缴", dt.date(2027, 1, 20)).backpaid == 0


def test_a_bare_no_or_a_bare_verb_after_a_year_gives_that_year_its_status():
    slots = extract("2025年有，2026年也没有", dt.date(2027, 1, 20))
    assert [(f.year, f.status) for f in slots.facts] == [(2025, "insured"), (2026, "uninsured")]
    assert extract("没有", dt.date(2027, 1, 20)).statuses == []  # a no alone answers; it files no status


def test_is_it_so_asked_about_a_told_year_makes_that_year_the_one_asked_about():
    slots = extract("我姐2025年没参保，2026年参了，是不是交了就能用", dt.date(2026, 12, 2))
    assert slots.target_year == 2026
    assert extract("不对不对，2026年是交了的", dt.date(2026, 12, 2)).target_year is None  # a correction
