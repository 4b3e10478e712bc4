"""`yibao bench` part for Telegram: it runs and reports its figures (never asserts a speed)."""

from __future__ import annotations

from bot.bench.telegram_bench import figures


def test_bench_reports_rate_and_latencies_for_every_update():
    result = figures(chats=4)
    assert result["updates"] == 8  # two rounds, one update per chat each
    assert result["updates_per_s"] > 0
    assert result["updates_per_cpu_s"] is None or result["updates_per_cpu_s"] > 0
    assert 0 < result["latency_median_ms"] <= result["latency_p99_ms"]
    assert result["target_updates_per_s"] == 200
