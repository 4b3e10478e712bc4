"""The conversation measured by the simulated member (bot.bench.member): seeded runs in both
modes, the figures checked against the rules engine on each member's true history."""

from __future__ import annotations

import pytest

from bot.bench.dialogues import run

# Measured over 1,000 members per mode and seeds 0-3: 100% right when the member corrects (it reads
# the summary shown above a result too, and puts a wrong one right before taking the figure), 99.7-100%
# when the member only confirms; no internal error shown.
FLOORS = {"correct": 0.99, "confirm": 0.99}


@pytest.mark.parametrize("mode", ["correct", "confirm"])
def test_three_hundred_members_get_their_own_figures(mode):
    report = run(300, mode, seed=7)
    assert report.internal_errors == 0
    assert report.right_share >= FLOORS[mode], report.kinds
    assert report.median_turns <= 4 and report.p90_turns <= 6
    assert report.second_right_share >= 0.98, report.second_kinds
