"""Blind sets, scored by facts through `yibao ask`'s own code: the figures may not fall."""

import argparse
import json
from pathlib import Path

import pytest

from bot.bench.blind import BlindCase, blind_sets, carries, load_cases, score, score_file

HERE = Path(__file__).parent
# The figures (in scope right, off-topic refused) each set may not fall below: each set's figure as
# last measured (one in-scope answer of slack, as some questions say 今年/去年 and are read on the day
# the tests run). Sets 3-7 lost one each when a product wording that nearly copied one of their
# questions was removed; the mechanisms since (clause reading, claims, notions, sounds) raised them.
FLOORS = {
    "blind-1": (238, 71),
    "blind-2": (166, 55),
    "blind-3": (284, 79),
    "blind-4": (248, 67),
    "blind-5": (186, 54),
    "blind-6": (211, 54),
    "blind-7": (257, 64),
    "blind-8": (317, 77),
    "blind-9": (317, 75),
    "blind-10": (300, 79),
}


def test_every_shipped_blind_set_is_seen_by_the_tests_through_a_link():
    shipped = {p.name for p in blind_sets()}
    assert shipped and shipped == {p.name for p in HERE.glob("blind-*.yaml")}
    for name in shipped:
        assert (HERE / name).resolve() == next(p for p in blind_sets() if p.name == name).resolve()


def test_facts_are_an_and_of_or_groups_read_after_nfkc_and_without_thousands_separators():
    assert carries("封顶线是２０,０００元，等4个月", [["20000", "2万"], ["4个月", "四个月"]])
    assert not carries("封顶线是20000元", [["20000"], ["4个月"]])


def test_an_off_topic_case_is_right_only_when_refused_with_the_hotline():
    cases = [
        BlindCase(q="a", out_of_scope=True),
        BlindCase(q="b", out_of_scope=True),
        BlindCase(q="c", facts=[["4年"]]),
    ]
    answers = {
        "a": {"intent": None, "answer": "不在范围内，请拨打12393"},
        "b": {"intent": "fees_2026", "answer": "一档400元，12393"},
        "c": {"intent": "x", "answer": "连续参保满4年"},
    }
    r = score("t", cases, answers.__getitem__)
    assert (r.in_scope_right, r.in_scope, r.off_topic_refused, r.off_topic) == (1, 1, 1, 2)
    assert [m.q for m in r.misses] == ["b"]


@pytest.mark.parametrize("path", blind_sets(), ids=lambda p: p.stem)
def test_the_blind_set_does_not_fall_below_its_measured_figure(path):
    assert len(load_cases(path)) >= 200
    r = score_file(path)
    in_floor, oos_floor = FLOORS[path.stem]
    assert r.in_scope_right >= in_floor, [m.q for m in r.misses][:20]
    assert r.off_topic_refused >= oos_floor, [m.q for m in r.misses][:20]


def test_yibao_eval_blind_reports_each_set_as_json(capsys):
    from bot.cli import eval as eval_command

    parser = argparse.ArgumentParser()
    eval_command.configure(parser)
    assert eval_command.run(parser.parse_args(["--blind", "--json"])) == 0
    out = json.loads(capsys.readouterr().out)
    names = [r["name"] for r in out["blind"]]
    assert names == [p.stem for p in blind_sets()]
    first = out["blind"][0]
    assert first["in_scope"] + first["off_topic"] == len(load_cases(blind_sets()[0]))
    assert 0.0 <= first["in_scope_rate"] <= 1.0
