"""The held-out report and the baseline comparison `yibao eval` prints."""

import argparse
import json

import pytest

from bot.bench.evaluation import Case, report


def test_report_counts_accuracy_refusals_and_confusions():
    cases = [
        Case(q="a", intent="x"),
        Case(q="b", intent="x"),
        Case(q="c", intent="y"),
        Case(q="d", intent=None),
        Case(q="e", intent=None),
    ]
    answers = {"a": "x", "b": "y", "c": "y", "d": None, "e": "x"}
    r = report("t", cases, answers.get)
    assert r.accuracy == 0.6
    assert r.in_scope_accuracy == round(2 / 3, 4)
    assert r.refusal_rate == 0.5
    scores = {s.intent: s for s in r.per_intent}
    assert scores["x"].precision == 0.5 and scores["x"].recall == 0.5
    assert ("x", "y", 1) in r.confused
    assert {m.q for m in r.misses} == {"b", "e"}


def test_yibao_beats_the_tfidf_svm_baseline_on_the_held_out_split(capsys):
    pytest.importorskip("sklearn")
    from bot.cli import eval as eval_command

    parser = argparse.ArgumentParser()
    eval_command.configure(parser)
    assert eval_command.run(parser.parse_args(["--json"])) == 0
    ours, baseline = json.loads(capsys.readouterr().out)
    assert ours["accuracy"] > baseline["accuracy"]
    assert ours["refusal_rate"] >= baseline["refusal_rate"]
    assert ours["in_scope_accuracy"] >= 0.9 and ours["refusal_rate"] >= 0.9


def test_without_scikit_learn_yibao_eval_still_reports_its_own_figures(monkeypatch, capsys):
    import argparse
    import json
    import sys

    from bot.cli import eval as eval_command

    monkeypatch.setitem(sys.modules, "sklearn", None)  # as after a plain `pip install .`
    parser = argparse.ArgumentParser()
    eval_command.configure(parser)
    assert eval_command.run(parser.parse_args(["--json"])) == 0
    captured = capsys.readouterr()
    assert [r["name"] for r in json.loads(captured.out)] == ["yibao"]
    assert "scikit-learn" in captured.err
