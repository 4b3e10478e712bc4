"""A term one answer alone puts in quotation marks is explained by that answer when asked for."""

from __future__ import annotations

from bot.conversation.router import _defining, glossary, understand


def test_the_glossary_holds_terms_one_answer_alone_quotes():
    terms = glossary()
    assert terms["足不出村"] == "village_services"
    assert "两个等待期" not in terms  # quoted by two answers: no one entry explains it


def test_asking_what_a_quoted_term_means_gets_the_answer_that_uses_it():
    assert understand("掌上办是什么意思").intent == "pay_channels"
    assert understand("足不出村指的是什么").intent == "village_services"


def test_a_quoted_term_in_a_question_that_asks_no_meaning_is_not_rescued():
    assert _defining("掌上办怎么操作") is None
    assert _defining("掌上办是什么") == "pay_channels"
