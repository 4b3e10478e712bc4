"""Slot extraction, one table per form a person types."""

import datetime as dt

import pytest

from intents.slots import YearFact, extract, yes_no

TODAY = dt.date(2026, 11, 22)


def facts(text, today=TODAY):
    return [(f.year, f.status) for f in extract(text, today).facts]


@pytest.mark.parametrize(
    "text, years",
    [
        ("2025年交了", [2025]),
        ("25年交了", [2025]),
        ("二〇二五年交了", [2025]),
        ("二零二五年交了", [2025]),
        ("二五年交了", [2025]),
        ("2025到2027年都交了", [2025, 2026, 2027]),
        ("25-27年都交了", [2025, 2026, 2027]),
        ("2025至2027都交了", [2025, 2026, 2027]),
        ("25、26年没交", [2025, 2026]),
        ("2025和2026年都没参保", [2025, 2026]),
        ("2025、2026、2027年", [2025, 2026, 2027]),
        ("我交了12年医保", []),
        ("我交了12年的医保", []),
        ("26年12月交了27年的", [2027]),
        ("断保了两年", []),
        ("补贴2000元", []),
    ],
)
def test_years_in_every_written_form(text, years):
    assert extract(text, TODAY).years == years


@pytest.mark.parametrize(
    "text, today, years",
    [
        ("今年交了", dt.date(2026, 11, 22), [2026]),
        ("去年没交", dt.date(2026, 11, 22), [2025]),
        ("前年没交", dt.date(2026, 11, 22), [2024]),
        ("大前年交了", dt.date(2026, 11, 22), [2023]),
        ("明年继续交", dt.date(2026, 11, 22), [2027]),
        ("后年呢", dt.date(2026, 11, 22), [2028]),
        ("去年和今年都交了", dt.date(2027, 3, 1), [2026, 2027]),
    ],
)
def test_relative_years_count_from_today(text, today, years):
    assert extract(text, today).years == years


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025年没交，2026年交了", [(2025, "uninsured"), (2026, "insured")]),
        (
            "我2025年和2026年都参保了，2025年一次都没报销过",
            [(2025, "insured"), (2026, "insured"), (2025, "zero_claim")],
        ),
        ("2025年参保了，但没报销", [(2025, "insured"), (2025, "zero_claim")]),
        ("2025年在外地参保", [(2025, "elsewhere")]),
        ("2026年是单位交的职工医保", [(2026, "employee")]),
        ("2025年住院报销了", [(2025, "claimed")]),
        ("2026年大病保险报了", [(2026, "reward_used")]),
        ("2025年断保了", [(2025, "uninsured")]),
        ("去年没买医保", [(2025, "uninsured")]),
        ("2025年没用过医保", [(2025, "zero_claim")]),
        ("25年在成都参保的，26年回重庆交的", [(2025, "elsewhere"), (2026, "insured")]),
        ("今年交了明年的", [(2027, "insured")]),
        ("2026年交的2027年的", [(2027, "insured")]),
        ("2025年交了，没有报销", [(2025, "insured"), (2025, "zero_claim")]),
        ("2025年没参保2026年参保等待期多久", [(2025, "uninsured"), (2026, "insured")]),
        ("25年断了26年交了", [(2025, "uninsured"), (2026, "insured")]),
        ("去年没交今年交了", [(2025, "uninsured"), (2026, "insured")]),
        ("2025年交了2026年没交2027年又交了", [(2025, "insured"), (2026, "uninsured"), (2027, "insured")]),
        ("2025年在重庆交的，2026年在成都交的", [(2025, "insured"), (2026, "elsewhere")]),
    ],
)
def test_clause_facts_give_each_year_its_status(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text, all_insured, none_insured",
    [
        ("一直都在交", True, False),
        ("每年都交了", True, False),
        ("2025和2026年都交了", False, False),  # 都 covers the years listed, not the years not named
        ("2025和2026年都没交", False, False),
        ("从2025年起每年都交了", True, False),  # a range open to the year asked about
        ("一直没参保", False, True),
        ("2025年交了", False, False),
        ("25年在成都参保的", False, False),
    ],
)
def test_all_and_none(text, all_insured, none_insured):
    slots = extract(text, TODAY)
    assert (slots.all_insured, slots.none_insured) == (all_insured, none_insured)


@pytest.mark.parametrize(
    "text, broken, backpaid",
    [
        ("断了两年", 2, None),
        ("我断保三年了", 3, None),
        ("有2年没交", 2, None),
        ("补缴了1年", None, 1),
        ("补了一年", None, 1),
        ("补交了两年", None, 2),
        ("没有补缴", None, 0),
        ("2025年没交", None, None),
    ],
)
def test_counts_in_digits_and_chinese_numerals(text, broken, backpaid):
    slots = extract(text, TODAY)
    assert (slots.broken_count, slots.backpaid) == (broken, backpaid)


@pytest.mark.parametrize(
    "text, count",
    [
        ("我连续交了5年医保", 5),
        ("已经交了十二年了", 12),
        ("参保三年了", 3),
        ("补缴了2年", None),
        ("交了2027年的", None),
        ("2025年交了", None),
        ("连续参保满十二年", 12),
        ("一直交够5年的话", 5),
    ],
)
def test_years_insured_counted(text, count):
    assert extract(text, TODAY).insured_count == count


@pytest.mark.parametrize(
    ("text", "nth", "zero"),
    [
        ("交到第九年的时候封顶线是多少", 9, None),
        ("第12年能提高几多", 12, None),
        ("连续4年都没报销过", None, 4),
        ("零报销一共三年，加了多少", None, 3),
        ("攒了7个零报销年度", None, 7),
        ("2026年没报销", None, None),
        ("我26年没报销27年也交了", None, None),
    ],
)
def test_the_nth_insured_year_and_the_count_of_zero_reimbursement_years(text, nth, zero):
    slots = extract(text, TODAY)
    assert (slots.nth_year, slots.zero_claim_count) == (nth, zero)


@pytest.mark.parametrize(
    "text, dates",
    [
        ("2026年12月10日", [dt.date(2026, 12, 10)]),
        ("12月10号", [dt.date(2026, 12, 10)]),
        ("2026-12-10", [dt.date(2026, 12, 10)]),
        ("2026/12/10", [dt.date(2026, 12, 10)]),
        ("二〇二六年十二月十号", [dt.date(2026, 12, 10)]),
        ("孩子2026年1月10日出生，6月20日才参保", [dt.date(2026, 1, 10), dt.date(2026, 6, 20)]),
        ("明年1月5号", [dt.date(2027, 1, 5)]),
        ("2026年2月30日", []),
    ],
)
def test_dates_take_a_missing_year_from_context_or_today(text, dates):
    assert extract(text, TODAY).dates == dates


def test_a_status_said_without_any_year_is_kept_apart():
    slots = extract("一次都没用过医保", TODAY)
    assert slots.facts == [] and slots.statuses == ["zero_claim"]


def test_payment_month_without_a_day_and_the_year_it_pays_for():
    slots = extract("2025年没交，2026年12月交了2027年的", TODAY)
    assert slots.paid_month == (2026, 12)
    assert slots.paid_on is None
    assert slots.target_year == 2027
    assert facts("2025年没交，2026年12月交了2027年的") == [(2025, "uninsured"), (2027, "insured")]


def test_payment_date_and_birth_date_are_told_apart():
    slots = extract("孩子2026年1月10日出生，6月20日才参保，什么时候能报销？", TODAY)
    assert slots.born == dt.date(2026, 1, 10)
    assert slots.paid_on == dt.date(2026, 6, 20)
    assert slots.group == "newborn"


def test_target_year_of_the_question():
    assert extract("2026年的大病保险封顶线是多少", TODAY).target_year == 2026
    assert extract("我2025年没交，2026年交了，要等多久", TODAY).target_year == 2026
    assert extract("我24年25年都没交，26年12月交了27年的，要等几个月", TODAY).target_year == 2027
    assert extract("2025和2026年都没参保，2027年参保要等多久", TODAY).target_year == 2027


@pytest.mark.parametrize(
    "text, today, year",
    [
        ("我是大学生，2025、2026年都交了，九月十号交了医保，啥时候开始享受待遇？", dt.date(2026, 9, 15), 2027),
        ("25年26年都交了，10月3号又交了一次，什么时候能用", dt.date(2026, 10, 20), 2027),
        ("2025年交了，2026年3月5号交的，哪天开始能报销", dt.date(2026, 4, 1), 2026),
    ],
)
def test_a_payment_from_september_on_is_for_the_next_year(text, today, year):
    # 渝医保发〔2025〕37号 五.3: the collection period runs from September to February
    assert extract(text, today).target_year == year


def test_a_counted_break_before_this_year_does_not_make_this_year_unpaid():
    slots = extract("我断了三年今年又交了，封顶线是好多", dt.date(2028, 3, 1))
    assert slots.broken_count == 3 and slots.conflicts == []
    assert [(f.year, f.status) for f in slots.facts] == [(2028, "insured")]


def test_a_year_asked_about_is_marked_when_only_inferred():
    assert extract("我2025年2026年都交了，哪天能报销", TODAY).target_inferred is True
    assert extract("2026年的大病保险封顶线是多少", TODAY).target_inferred is False


def test_a_freshman_is_a_student_but_a_bigger_child_is_not():
    assert extract("我是大一新生，2026年9月10日在学校交了医保", TODAY).group == "student"
    assert extract("孩子大一点了，要交医保吗", TODAY).group is None


@pytest.mark.parametrize(
    "text, value",
    [
        ("对", True),
        ("是的", True),
        ("没错", True),
        ("嗯", True),
        ("好的", True),
        ("确认", True),
        ("对的，没问题", True),
        ("要得", True),
        ("ok", True),
        ("不对", False),
        ("没有", False),
        ("不是", False),
        ("错了", False),
        ("不", False),
        ("不对，2026年没交", False),
        ("没得", False),
        ("2025年交了", None),
        ("对不起我不知道", None),
        ("没有补缴", None),
    ],
)
def test_yes_and_no_in_many_forms(text, value):
    assert extract(text, TODAY).yes is value


@pytest.mark.parametrize(
    "text, group",
    [
        ("新生儿怎么参保", "newborn"),
        ("孩子刚出生", "newborn"),
        ("宝宝参保", "newborn"),
        ("我是低保户", "low_income"),
        ("低收入家庭", "low_income"),
        ("脱贫人口有等待期吗", "poverty_alleviated"),
        ("服刑人员参保", "inmate"),
        ("在重庆读书的大学生", "student"),
        ("我2025年交了", None),
        ("我1990年3月2日出生", None),
    ],
)
def test_groups(text, group):
    assert extract(text, TODAY).group == group


def test_id_card_and_phone_are_reported_as_kinds_never_values():
    slots = extract("我身份证500101199001011234，电话13812345678，2025年交了", TODAY)
    assert slots.pii == ["id_card", "phone"]
    assert "500101199001011234" not in slots.model_dump_json()
    assert "13812345678" not in slots.model_dump_json()
    assert slots.years == [2025]


def test_id_card_ending_in_x_is_recognised():
    assert extract("50010119900101123X", TODAY).pii == ["id_card"]


def test_impossible_years_are_reported_apart():
    slots = extract("1990年参保，3025年呢", TODAY)
    assert slots.invalid_years == [1990, 3025]
    assert slots.years == []
    assert slots.facts == []


@pytest.mark.parametrize("text", ["封顶线每年加6000吗", "听说一年要交1200", "补缴3000够不够"])
def test_a_bare_amount_of_four_digits_is_no_year(text):
    slots = extract(text, TODAY)
    assert slots.invalid_years == []
    assert slots.years == []


def test_a_bare_four_digit_year_is_still_a_year():
    assert extract("2025和2026都交了", TODAY).years == [2025, 2026]


def test_a_year_said_both_paid_and_unpaid_is_a_conflict():
    assert extract("我2025年交了也没交", TODAY).conflicts == [2025]


@pytest.mark.parametrize("text", ["", "😀😀😀", "hello world", "年" * 5000, "2025" * 2000, "，。；"])
def test_bad_input_never_raises(text):
    extract(text, TODAY)


def test_yes_no_helper_reads_the_head_of_a_message():
    assert yes_no("对，就是这样") is True
    assert yes_no("不是这样的") is False


def test_year_fact_model_is_what_the_bot_reads():
    assert YearFact(year=2025, status="zero_claim").model_dump() == {"year": 2025, "status": "zero_claim"}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我爸2025年忘了交医保", [(2025, "uninsured")]),
        ("2025和2026年都忘记交了，2027年想交上", [(2025, "uninsured"), (2026, "uninsured"), (2027, "insured")]),
        ("2026年漏交了", [(2026, "uninsured")]),
        ("2025年没来得及交", [(2025, "uninsured")]),
        ("去年太忙没顾上交", [(2025, "uninsured")]),
        ("2025年交漏了", [(2025, "uninsured")]),
        ("2025年未缴费", [(2025, "uninsured")]),
        ("2025年和2026年都没去交，现在2027年交上了", [(2025, "uninsured"), (2026, "uninsured"), (2027, "insured")]),
        ("2025年交了，2026年忘交了", [(2025, "insured"), (2026, "uninsured")]),
        ("2026年漏缴", [(2026, "uninsured")]),
        ("2025年手头紧交不起", [(2025, "uninsured")]),
        ("2025年是断的", [(2025, "uninsured")]),
        ("2025年医保没续上", [(2025, "uninsured")]),
    ],
)
def test_a_payment_forgotten_or_missed_is_not_a_payment(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text, backpaid, expected",
    [
        (
            "2025年和2026年都断保了，后来补缴了一年，2027年交了",
            1,
            [(2025, "uninsured"), (2026, "uninsured"), (2027, "insured")],
        ),
        ("前两年都没交，补交了2年", 2, []),
        ("2025、2026年没交，补了一年", 1, [(2025, "uninsured"), (2026, "uninsured")]),
    ],
)
def test_back_paid_years_are_a_count_and_the_years_stay_broken(text, backpaid, expected):
    slots = extract(text, TODAY)
    assert slots.backpaid == backpaid and slots.conflicts == []
    assert [(f.year, f.status) for f in slots.facts] == expected


def test_a_dated_payment_after_unpaid_years_is_the_payment_not_those_years():
    slots = extract("我前年和去年都没交 今年1月5号交的", dt.date(2027, 3, 1))
    assert [(f.year, f.status) for f in slots.facts] == [(2025, "uninsured"), (2026, "uninsured")]
    assert slots.paid_on == dt.date(2027, 1, 5) and slots.conflicts == []


@pytest.mark.parametrize(
    "text, today, paid_on, paid_month",
    [
        ("今天刚交的", dt.date(2026, 1, 15), dt.date(2026, 1, 15), None),
        ("昨天交了2027年的", dt.date(2026, 12, 3), dt.date(2026, 12, 2), None),
        ("前天才去交的医保", dt.date(2027, 3, 1), dt.date(2027, 2, 27), None),
        ("上个月交了", dt.date(2027, 1, 10), None, (2026, 12)),
        ("这个月交的", dt.date(2026, 10, 8), None, (2026, 10)),
        ("下个月交", dt.date(2026, 11, 20), None, (2026, 12)),
    ],
)
def test_relative_days_and_months_of_a_payment_count_from_today(text, today, paid_on, paid_month):
    slots = extract(text, today)
    assert (slots.paid_on, slots.paid_month) == (paid_on, paid_month)


@pytest.mark.parametrize(
    "text, paid_on, paid_month",
    [
        ("12月1号交", dt.date(2026, 12, 1), None),
        ("打算12月20日去缴", dt.date(2026, 12, 20), None),
        ("12月交", None, (2026, 12)),
        ("准备1月份买", None, (2026, 1)),
    ],
)
def test_a_payment_date_needs_no_了_or_的(text, paid_on, paid_month):
    slots = extract(text, TODAY)
    assert (slots.paid_on, slots.paid_month) == (paid_on, paid_month)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2025年交居民医保", [(2025, "insured")]),
        ("2025年参加居民医保", [(2025, "insured")]),
        ("2026年参加了城乡居民医疗保险", [(2026, "insured")]),
        ("2025年有医保", [(2025, "insured")]),
        (
            "2026、2027年是单位交的职工医保，2028年又交居民医保",
            [(2026, "employee"), (2027, "employee"), (2028, "insured")],
        ),
        ("前年交了，去年没交，明年想交", [(2024, "insured"), (2025, "uninsured"), (2027, "insured")]),
    ],
)
def test_insured_without_了_or_的(text, expected):
    assert facts(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "在成都交了两年居民医保",
        "在外地交了2年医保",
        "外省参保了三年",
        "在四川缴了两年",
    ],
)
def test_years_insured_elsewhere_are_elsewhere(text):
    slots = extract(text, TODAY)
    assert "elsewhere" in slots.statuses and "insured" not in slots.statuses
    assert slots.insured_count in (2, 3)


def test_asking_whether_it_counts_as_continuous_is_not_saying_so():
    assert extract("回重庆算连续参保不", TODAY).all_insured is False
    assert extract("这样是连续参保吗", TODAY).all_insured is False
    assert extract("我一直连续参保", TODAY).all_insured is True


def test_not_even_one_year_is_not_a_count_of_one():
    slots = extract("2025到2027年我一年都没交过", TODAY)
    assert slots.broken_count is None
    assert [(f.year, f.status) for f in slots.facts] == [(2025, "uninsured"), (2026, "uninsured"), (2027, "uninsured")]


def test_two_years_without_a_claim_said_with_a_count():
    assert extract("两年都没有报销", TODAY).statuses == ["zero_claim"]


@pytest.mark.parametrize("text", ["2025年和2026年我都忘了交", "25、26年都漏交了", "2025到2026年都没顾上交"])
def test_a_negation_after_都_covers_the_whole_list(text):
    slots = extract(text, TODAY)
    assert not slots.none_insured and not slots.all_insured  # nothing said of the other years
    assert [(f.year, f.status) for f in slots.facts] == [(2025, "uninsured"), (2026, "uninsured")]


def test_an_incentive_used_is_not_a_year_without_claims():
    assert facts("2025年用过大病保险的激励额度") == [(2025, "reward_used")]
    assert facts("2025年没用过激励额度") == [(2025, "reward_unused")]


@pytest.mark.parametrize("text", ["2028年报销过，激励额度没用过", "2028年报销过，没有用过激励的额度"])
def test_a_negation_stays_in_its_clause_and_subject(text):
    assert facts(text) == [(2028, "claimed"), (2028, "reward_unused")]


def test_every_year_reimbursed_and_the_incentive_not_used_are_two_subjects():
    slots = extract("每年都有报销，激励额度没用过", TODAY)
    assert slots.statuses == ["claimed", "reward_unused"]


@pytest.mark.parametrize(
    "text, years",
    [
        ("2025、2026年都交了，2027年到2030年没交", [2027, 2028, 2029, 2030]),
        ("二〇二六年到二〇三〇年都没交", [2026, 2027, 2028, 2029, 2030]),
        ("27年至29年没交", [2027, 2028, 2029]),
        ("25、26两年其实没交，27年才交", [2025, 2026]),
    ],
)
def test_a_range_or_list_with_年_on_each_year_covers_every_year(text, years):
    assert sorted(f.year for f in extract(text, TODAY).facts if f.status == "uninsured") == years


@pytest.mark.parametrize("text", ["以前从来没断过", "没有断过，一直在交"])
def test_never_broken_is_enrolment_not_a_break(text):
    slots = extract(text, TODAY)
    assert slots.all_insured and slots.statuses == ["insured"]


@pytest.mark.parametrize(
    "text, insured",
    [
        ("2025年开始交的，一直交到2029年，2030、2031年都没交", [2025, 2026, 2027, 2028, 2029]),
        ("2027年才开始交，一直交到2029年", [2027, 2028, 2029]),
        ("一直交到2027年", [2025, 2026, 2027]),
    ],
)
def test_paying_until_a_year_covers_every_year_from_the_first(text, insured):
    assert sorted(f.year for f in extract(text, TODAY).facts if f.status == "insured") == insured


def test_a_count_before_the_back_payment_verb_is_the_years_back_paid():
    assert extract("两年都补缴了", TODAY).backpaid == 2


@pytest.mark.parametrize(
    "text, expected",
    [
        ("我妈2025年忘了交 2026年交了", [(2025, "uninsured"), (2026, "insured")]),
        ("去年没交 今年交了", [(2025, "uninsured"), (2026, "insured")]),
        ("2025年没有 报销过", [(2025, "zero_claim")]),
        ("2025年 2026年都交了", [(2025, "insured"), (2026, "insured")]),
    ],
)
def test_a_space_between_words_ends_a_clause_but_not_a_list_or_a_negation(text, expected):
    assert facts(text) == expected


def test_a_count_in_words_right_after_a_year_list_is_not_glued_to_it():
    slots = extract("2026、2027两年在公司交的职工医保，2028年又回来交居民医保，有等待期没", dt.date(2028, 11, 1))
    assert [(f.year, f.status) for f in slots.facts] == [(2026, "employee"), (2027, "employee"), (2028, "insured")]
    assert slots.target_year == 2028


def test_a_range_whose_first_year_is_closed_by_nian_is_still_a_range():
    import datetime as dt

    from intents.slots import extract

    slots = extract("2024年到2026年都没交", dt.date(2026, 12, 1))
    assert slots.years == [2024, 2025, 2026]
    assert {f.year for f in slots.facts if f.status == "uninsured"} == {2024, 2025, 2026}


def test_every_year_without_a_claim_after_an_open_range_is_said_of_every_year():
    slots = extract("我爸从2025年开始一直交的，也都是零报销，封顶线能到多少", TODAY)
    assert slots.all_insured
    assert "zero_claim" in slots.statuses
    assert slots.target_year is None  # 2025 opens the range; it is not the year asked about


def test_the_latest_year_told_is_still_the_year_asked_about_without_a_range():
    slots = extract("2025年没交，2026年交了，要等多久", TODAY)
    assert slots.target_year == 2026 and slots.target_inferred
