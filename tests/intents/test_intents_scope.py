"""Where matching draws the line: questions near the subject that the sources do not answer,
long messages, relative years, months, bare terms and greetings around other requests."""

import pytest

from bot.conversation.router import understand
from intents.catalogue import Catalogue, IntentSpec
from intents.match import Match, Matcher, decide, personal_strength
from intents.text import normalise


def _faq(id, *examples):
    return IntentSpec(id=id, kind="faq", title=examples[0], examples=list(examples))


def test_a_question_nearer_the_uncovered_ones_is_refused_and_a_covered_one_answered():
    catalogue = Catalogue(
        intents=[_faq("break_consequences", "断保了有什么影响", "医保断了会怎么样", "没连续参保的后果")],
        domain=["医保", "断保", "社保"],
        uncovered=["社保断了影响买房吗", "断缴社保还能落户吗", "社保断了孩子能上学吗"],
    )
    m = Matcher(catalogue)
    assert decide(m.rank("社保断缴对买房子有没有影响")).kind == "out_of_scope"
    assert decide(m.rank("医保断了有啥影响")).intent == "break_consequences"


@pytest.mark.parametrize(
    "question",
    [
        "无偿献血的人看病有没有优待",
        "去上海住院要不要先办异地备案",
        "职工医保交满多少年退休以后就不用再交",
        "社保交满几年才能在主城买房",
        "医保卡里还剩多少钱去哪里查",
        "医保中心星期天上不上班",
        "住院报销要交哪些发票和证明",
        "你好，帮我把这句话翻译成英文",
    ],
)
def test_questions_the_sources_do_not_answer_are_refused(question):
    assert understand(question).kind == "out_of_scope"


@pytest.mark.parametrize(
    "question, intent",
    [
        ("职工医保的个人账户能给我爸妈看病用吗", "account_sharing_relatives"),
        ("在外地办了退休还能回重庆交职工医保吗", "retired_elsewhere"),
        ("手工报销的业务村里能办吗", "village_services"),
        ("交医保费遇到问题打哪个电话", "contribution_hotline"),
    ],
)
def test_covered_questions_sharing_those_words_are_still_answered(question, intent):
    assert understand(question).intent == intent


def test_a_story_around_the_question_does_not_drown_it():
    story = "隔壁王婆婆身体一直硬朗 一年到头都没有用医保报过销 听说这样子第二年有好处 是不是真的哦"
    assert understand(story).intent == "zero_claim_incentive_what"


def test_relative_years_alone_are_not_a_personal_history():
    assert personal_strength(normalise("今年没报销过，明年封顶线能加多少")) == 0
    assert personal_strength(normalise("我今年没报销过，明年封顶线能加多少")) >= 2
    assert understand("今年没报销过，明年封顶线能加多少").intent == "zero_claim_incentive_what"


def test_months_in_chinese_numerals_are_read_as_digits_and_must_agree():
    assert "2月份" in normalise("二月份交的")
    assert "2个月" in normalise("断了两个月") and "2月" not in normalise("断了两个月")
    assert understand("二月份缴的居民医保哪天起能用").intent == "benefits_start_jan_feb"
    assert understand("十二月中旬缴的居民医保从哪天开始享受待遇").intent == "benefits_start_by_december"


def test_haojiu_is_when_before_an_act_and_how_long_after_waiting():
    assert "什么时候交" in normalise("医保最晚好久交")
    assert "多久" in normalise("断保了要等好久")
    assert understand("明年的医保好久开始交").intent == "collection_period"


@pytest.mark.parametrize(
    "term, intent", [("交费", None), ("集中参保期", "collection_period"), ("零报销", "zero_claim_incentive_what")]
)
def test_a_bare_term_of_the_subject_is_answered_not_refused(term, intent):
    decision = understand(term)
    assert decision.kind == "match"
    assert intent is None or decision.intent == intent


def test_a_what_if_is_told_by_its_hypothetical():
    assert understand("假如我后年接着交，封顶线会变成多少").intent == "what_if"


def test_a_question_asking_an_amount_the_matched_entry_does_not_state_is_refused():
    from intents.match import asks_for_figure

    assert asks_for_figure("门诊统筹一年最高报多少") == "amount"
    assert asks_for_figure("要连续交多少年") == "any"
    assert asks_for_figure("断保有什么影响") is None
    # the reform entries state no amount: an amount of the outpatient pool is not theirs to give
    assert understand("职工医保门诊共济改革以后普通门诊最高报多少钱").kind == "out_of_scope"
    # an entry that states the amount still answers
    assert understand("二档一年交多少钱").intent == "fees_2026"
    assert understand("连续参保激励每年加多少").kind == "match"


def test_figures_of_an_answer_include_counts_and_hotlines_for_a_question_asking_any_figure():
    from faq.premises import states_a_figure

    assert states_a_figure("已有19项医保业务纳入", "any") and not states_a_figure("已有19项医保业务纳入", "amount")
    assert states_a_figure("请拨打12366", "any")
    assert states_a_figure("每年提高4000元", "amount") and states_a_figure("稳定在70%左右", "amount")


def test_a_history_told_around_a_question_about_the_rule_goes_to_the_faq_not_the_calculation():
    # the own years are background; what is asked is whether years elsewhere carry over
    decision = understand("我2025年在成都参保，2026年回重庆交了，成都的年限能接着算吗")
    assert decision.intent not in ("my_cap", "my_waiting", "my_benefit_start", "what_if")
    # asking one's own figure after the same history is the calculation
    assert understand("我2025年没交，2026年交了，我的等待期是多久").intent == "my_waiting"


def test_a_close_call_goes_to_the_one_intent_whose_wordings_name_the_questions_domain_terms():
    from bot.conversation.router import _by_topic, matcher
    from intents.match import Decision, Match

    m = matcher()
    close = Decision(
        kind="ambiguous",
        score=0.6,
        candidates=[
            Match(intent="continuous_incentive_first_year", score=0.6, raw=0.3),
            Match(intent="zero_claim_incentive_what", score=0.6, raw=0.3),
        ],
    )
    settled = _by_topic(m, "零报销是不是也要等几年才有", close)
    assert settled.kind == "match" and settled.intent == "zero_claim_incentive_what"
    # no domain term named: the close call stays a question back to the person
    assert _by_topic(m, "这个要等几年", close).kind == "ambiguous"


def test_what_one_pays_in_may_be_answered_without_an_amount():
    # "只缴纳个人部分" answers 要交多少 for a veteran: no amount needed, no refusal
    from intents.match import asks_for_figure

    assert asks_for_figure("退役军人接续居民医保要交多少") == "any"
    assert understand("退役军人接续居民医保要交多少").intent == "veterans_and_military_spouses"


def _concept_matcher() -> Matcher:
    return Matcher(
        Catalogue(
            intents=[
                _faq("newborn_start", "新生儿参保后从哪天开始享受待遇", "刚出生的孩子什么时候能报销"),
                _faq("fees", "居民医保一年交多少钱", "2026年度个人缴费标准是多少"),
            ],
            domain=["医保", "新生儿", "缴费"],
            uncovered=["打疫苗医保报不报", "医保卡丢了怎么补办"],
            concepts={"newborn": ["新生儿", "出生"], "fees": ["交多少"]},
        )
    )


def test_of_low_scores_the_intent_naming_the_question_s_notion_is_chosen():
    m = _concept_matcher()
    ranked = [Match(intent="fees", score=0.3, raw=0.2), Match(intent="newborn_start", score=0.2, raw=0.15)]
    assert m.by_concept("老三上个礼拜才出生，他从哪天起算有保障", ranked).intent == "newborn_start"


def test_no_intent_is_chosen_without_a_notion_under_the_floor_or_below_the_uncovered():
    m = _concept_matcher()
    low = [Match(intent="newborn_start", score=0.1, raw=0.05)]
    assert m.by_concept("老三上个礼拜才出生，他从哪天起算有保障", low) is None
    pushed = [Match(intent="newborn_start", score=0.2, raw=0.1, uncovered=0.3, before=0.25)]
    assert m.by_concept("老三上个礼拜才出生，打疫苗报不报", pushed) is None
    plain = [Match(intent="newborn_start", score=0.3, raw=0.2)]
    assert m.by_concept("外婆那边的狗要打几针", plain) is None


@pytest.mark.parametrize(
    "question, intent",
    [
        ("屋里幺儿才生下来半个月，啥时候能报得到", "newborn_benefit_start"),
        ("我们这种年年不断交医保的，有奖没得", "continuous_incentive_what"),
    ],
)
def test_the_product_answers_notions_wrapped_in_unknown_words(question, intent):
    assert understand(question).intent == intent


def test_an_intent_naming_the_question_s_notions_outranks_one_that_names_fewer():
    m = Matcher(
        Catalogue(
            intents=[
                _faq("break_wait", "断保以后要等几个月", "断了一年等多久"),
                _faq("break_years", "断保以后连续参保年限怎么算", "断了以后年限重新算吗"),
            ],
            domain=["断保", "年限"],
            concepts={"break": ["断保"], "continuity": ["连续参保", "年限"]},
        )
    )
    assert m.rank("我前年断保了，去年又交了，年限咋个算")[0].intent == "break_years"


def test_a_ratio_asked_is_answered_only_by_an_entry_that_states_one():
    assert understand("交一档和交二档，看病报销的比例有哪些不同").kind == "out_of_scope"
    assert understand("断保降封顶线最多降百分之几").intent == "break_cap_reduction"
