"""Hypothesis profiles for the fuzz suite: "ci" (what .ci/run uses, and the default) runs a
fixed number of examples, each bounded in time; "long" is for a manual search
(HYPOTHESIS_PROFILE=long python -m pytest tests/fuzz)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=120,
    deadline=5000,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "long", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
