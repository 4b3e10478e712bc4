"""CheckList-style robustness: the intent holds under dialect, typos, script, keywords, a story."""

import argparse
import json

import pytest

from bot.bench.robustness import (
    KINDS,
    dialect,
    invariance,
    keywords,
    perturb,
    polite,
    premise,
    story,
    traditional,
    typo,
)
from intents.text import normalise

TARGET = 0.95


@pytest.fixture(scope="module")
def rates():
    return {r.kind: r for r in invariance()}


@pytest.mark.parametrize("kind", KINDS)
def test_the_intent_holds_for_at_least_95_percent_of_each_kind_of_perturbation(rates, kind):
    r = rates[kind]
    assert r.cases >= 30
    assert r.rate >= TARGET, [p.text for p in r.moved]


def test_a_dialect_rewrite_says_standard_words_the_chongqing_way_and_reads_back():
    said = dialect("断保了要交多少钱，怎么补缴？")
    assert said is not None and "好多" in said and "咋个" in said
    assert normalise(said) == normalise("断保了要交多少钱，怎么补缴？")


def test_a_typo_rewrite_mistypes_a_domain_term_into_no_word_and_the_pipeline_repairs_it():
    slipped = typo("连续参保激励是怎么规定的？")
    assert slipped is not None and slipped != "连续参保激励是怎么规定的？"
    assert normalise(slipped) == normalise("连续参保激励是怎么规定的？")


def test_the_other_rewrites_keep_the_question_and_change_its_form():
    assert traditional("断保会降低大病保险最高支付限额吗？") == "斷保會降低大病保險最高支付限額嗎？"
    words = keywords("断保了会有什么影响？")
    assert words is not None and "断保" in words.split() and "会" not in words.split() and "？" not in words
    assert story("等待期是什么？").endswith("等待期是什么？") and len(story("等待期是什么？")) > 40
    assert polite("等待期是什么？").startswith("您好")
    assert {p.kind for p in perturb("waiting_what", "待遇等待期是什么？")} >= {"traditional", "story", "polite"}


def test_yibao_eval_robustness_reports_the_rate_of_every_kind(capsys):
    from bot.cli import eval as eval_command

    parser = argparse.ArgumentParser()
    eval_command.configure(parser)
    assert eval_command.run(parser.parse_args(["--robustness", "--json"])) == 0
    out = json.loads(capsys.readouterr().out)
    assert [r["kind"] for r in out["robustness"]] == [*KINDS, "premise"]
    assert all(r["rate"] >= TARGET for r in out["robustness"])


def test_a_wrong_figure_put_before_a_question_keeps_its_intent_and_brings_the_correction():
    r = premise()
    assert r.cases >= 30
    assert r.rate >= TARGET, [p.text for p in r.moved]
