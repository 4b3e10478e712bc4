"""Matching: right intent for paraphrases, refusal of off-topic questions, ambiguity."""

import pytest

from bot.conversation.router import understand
from intents.catalogue import IntentSpec, build_catalogue
from intents.match import Match, Matcher, decide


def spec(id, *examples):
    return IntentSpec(id=id, kind="faq", title=examples[0], examples=list(examples))


@pytest.fixture(scope="module")
def small():
    faq = [
        spec("waiting_fixed", "固定待遇等待期有多长", "固定等待期几个月", "没按时参保要等几个月"),
        spec("collection_period", "集中参保期是什么时候", "每年啥时候交医保", "几月份交居民医保"),
        spec("fees", "居民医保个人交多少钱", "一档二档各交多少", "明年医保交好多"),
    ]
    return Matcher(build_catalogue(faq))


def test_paraphrase_goes_to_its_faq_intent(small):
    assert decide(small.rank("居民医保每年几月交")).intent == "collection_period"


def test_personal_years_go_to_the_task_intent_general_to_the_faq(small):
    assert decide(small.rank("我2025年断了，2026年交的，要等多久")).intent == "my_waiting"
    assert decide(small.rank("固定等待期是几个月")).intent == "waiting_fixed"


@pytest.mark.parametrize(
    "question",
    ["公积金怎么提取", "重庆哪里好玩", "帮我写首诗", "社保卡坐公交能打折吗", "what is the weather today", ""],
)
def test_off_topic_is_refused(small, question):
    assert decide(small.rank(question)).kind == "out_of_scope"


def test_conversation_intents(small):
    assert decide(small.rank("谢谢你啊")).intent == "thanks"
    assert decide(small.rank("对的")).intent == "yes"
    assert decide(small.rank("不对")).intent == "no"
    assert decide(small.rank("重新开始")).intent == "restart"


def test_scores_are_in_zero_one_and_ranked(small):
    ranked = small.rank("集中参保期是什么时候")
    assert all(0.0 <= m.score <= 1.0 for m in ranked)
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


def test_close_runner_up_makes_the_decision_ambiguous():
    ranked = [Match(intent="a", score=0.8, raw=0.50), Match(intent="b", score=0.79, raw=0.495)]
    decision = decide(ranked)
    assert decision.kind == "ambiguous" and [m.intent for m in decision.candidates] == ["a", "b"]


def test_clear_winner_is_a_match():
    ranked = [Match(intent="a", score=0.9, raw=0.6), Match(intent="b", score=0.6, raw=0.3)]
    assert decide(ranked).kind == "match"


def test_a_faq_id_may_not_reuse_a_task_id():
    with pytest.raises(ValueError):
        build_catalogue([spec("my_cap", "封顶线是多少")])


@pytest.mark.parametrize(
    "question, intent",
    [
        ("連續參保有什麼獎勵", "continuous_incentive_what"),
        ("零报消激励是什么", "zero_claim_incentive_what"),
        ("娃儿刚生咋个上医保", "newborn_how_to_enrol"),
        ("斷保以後的固定等待期多長", "waiting_fixed"),
    ],
)
def test_real_catalogue_reads_dialect_typos_and_traditional_script(question, intent):
    assert understand(question).intent == intent


def test_real_catalogue_refuses_the_unrelated_newspaper_articles():
    for question in ("奉节撂荒地整治", "荣昌玩具厂招工", "小游戏流水破千万"):
        assert understand(question).kind == "out_of_scope"


def test_an_intent_naming_none_of_the_questions_domain_terms_scores_lower():
    from bot.conversation.router import matcher
    from intents.match import TOPIC_CLASH

    m = matcher()
    assert m.topics_of("怎么才算断保") == frozenset({"断保"})
    assert "断保" not in m.intent_topics["zero_claim_what_counts"]
    clash = m._similarities(m.query("怎么才算断保"), frozenset())["zero_claim_what_counts"]
    alike = m._similarities(m.query("怎么才算零报销"), frozenset())["zero_claim_what_counts"]
    assert alike - clash > TOPIC_CLASH


def test_a_figure_of_another_benefit_is_refused_even_when_it_shares_the_words():
    from bot.conversation.router import understand

    assert understand("看门诊的起付线是多少").kind == "out_of_scope"
    assert understand("医疗救助一年最高能给多少").kind == "out_of_scope"
    assert understand("大病保险起付线是多少").intent == "critical_deductible"


@pytest.mark.parametrize(
    "text, asked",
    [
        ("前几年在外地交的，能接着算不", None),
        ("好几年都没报销过，这个怎么算", None),
        ("连续交满几年有激励", "any"),
        ("一年交多少", "any"),
        ("听说交满两年就能提高大病封顶线了", None),
        ("大病封顶线现在是多少", "amount"),
    ],
)
def test_some_years_told_are_no_figure_asked(text, asked):
    from intents.match import asks_for_figure

    assert asks_for_figure(text) == asked


def test_a_notion_only_answered_questions_name_keeps_a_message_off_the_uncovered_ones():
    from bot.conversation.router import matcher
    from intents.match import NOTION_MISS, UNCOVERED

    m = matcher()
    assert "zero_claim" in m.answered_notions and "fees" not in m.answered_notions
    q = m.query("零报销攒下的额度，如果今年住院用大病保险报了销，会怎么样")
    named = m.concepts_of(q.text)
    plain = m._similarities(q, frozenset())[UNCOVERED]
    assert m._similarities(q, named)[UNCOVERED] <= plain - NOTION_MISS + 1e-9
    assert understand(q.text).intent == "zero_claim_cleared_when_used"


def test_a_break_denied_names_continuity_not_a_break():
    from bot.conversation.router import matcher

    m = matcher()
    for text in ("十几年没断过", "从来没有断保", "一直交从未中断"):
        named = m.concepts_of(m.query(text).text)
        assert "continuity" in named and "break" not in named, text
    assert "break" in m.concepts_of(m.query("去年断保了").text)


def test_every_notion_form_still_says_something_after_the_text_pipeline():
    from bot.conversation.router import catalogue
    from intents.text import normalise

    for name, forms in catalogue().concepts.items():
        for form in forms:  # "来得及" reads as "能", which would name the notion in any question
            assert len(normalise(form)) >= min(2, len(form)), (name, form)


def test_a_question_on_help_paying_goes_to_the_help_not_the_waiting_rules_of_the_same_groups():
    assert understand("我家是特困户，交医保费政府给不给补贴").intent == "help_for_low_income"


def test_money_asked_by_name_is_refused_by_an_entry_that_states_no_amount():
    assert understand("低保户参保政府补贴多少钱").kind == "out_of_scope"
    assert understand("居民医保一年要交多少钱").intent == "fees_2026"
