"""Another place's insurance is not Chongqing's to answer; a place that is only background is."""

import pytest

from bot.conversation.router import understand
from intents.places import elsewhere


@pytest.mark.parametrize(
    "question, place",
    [
        ("杭州的居民医保一年交好多", "杭州"),
        ("上海职工医保有没有零报销激励", "上海"),
        ("贵州那边的医保政策断了要等多久", "贵州"),
    ],
)
def test_a_question_about_another_place_s_insurance_is_refused(question, place):
    assert elsewhere(question) == place
    assert understand(question).kind == "out_of_scope"


@pytest.mark.parametrize(
    "question",
    [
        "我前两年在杭州交的居民医保，今年回来交，年限算不算连续",
        "湖北的医保转回重庆，等待期咋个算",
        "从贵州回来以后一直在交医保，有没有激励",
    ],
)
def test_a_place_named_as_background_leaves_the_question_to_the_matcher(question):
    assert elsewhere(question) is None
    assert understand(question).kind != "out_of_scope"


def test_what_care_in_another_place_pays_is_refused_but_a_waiting_question_there_is_not():
    assert elsewhere("去广州住院的话居民医保能报几成") == "广州"
    assert understand("去广州住院的话居民医保能报几成").kind == "out_of_scope"
    assert elsewhere("去广州住院了，还在等待期里，能报不") is None
    assert elsewhere("来电：西安市2026年度职工医保缴费标准") == "西安"


def test_another_places_insurance_of_a_group_is_another_places():
    assert elsewhere("广州的大学生医保一年交多少") == "广州"
    assert elsewhere("杭州新生儿医保去哪办") == "杭州"
    assert elsewhere("成都的居民大病保险最高报多少") == "成都"
    assert elsewhere("在成都读大学交的大学生医保，回重庆接得上不") is None
