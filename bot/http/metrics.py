"""What /metrics exposes, in the Prometheus text format: requests by route and status, latency
histograms, conversations started, answers by kind (FAQ, calculation, refused, clarify) and
errors by reason. Each application has its own registry, so two apps in one process (tests)
never count each other's requests. Labels are route templates, never paths or queries: what
a person typed never becomes a label.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest

BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)

__all__ = ["CONTENT_TYPE_LATEST", "Metrics"]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "yibao_http_requests", "HTTP requests answered", ["method", "route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "yibao_http_request_duration_seconds",
            "Time to answer a request",
            ["route"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.conversations = Counter(
            "yibao_conversations_started", "Conversations the server started", ["client"], registry=self.registry
        )
        self.answers = Counter("yibao_answers", "Answers given, by kind", ["kind"], registry=self.registry)
        self.errors = Counter(
            "yibao_http_errors", "Requests refused or failed, by reason", ["reason"], registry=self.registry
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def text(self) -> bytes:
        return generate_latest(self.registry)
