"""Shared helpers for the rules tests: the YAML case files and the history they describe."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from rules import History, evaluate

CASES = Path(__file__).with_name("cases")


def years(value) -> list[int]:
    """[2025, '2027-2029'] -> [2025, 2027, 2028, 2029]."""
    out: list[int] = []
    for item in value or []:
        m = re.fullmatch(r"(\d{4})-(\d{4})", str(item))
        out.extend(range(int(m[1]), int(m[2]) + 1) if m else [int(item)])
    return out


def history_of(h: dict) -> History:
    """A History from a case's `history` mapping (the keys of the dev scenarios)."""
    kw = dict(h)
    target = kw.pop("target_year")
    lists = {k: years(kw.pop(k, [])) for k in ("enrolled", "elsewhere", "employee")}
    for k in ("zero_claim", "reward_used"):
        if k in kw:
            kw[k] = set(years(kw[k]))
    for k in ("born", "paid_on", "today"):
        if isinstance(kw.get(k), str):
            kw[k] = dt.date.fromisoformat(kw[k])
    return History.from_lists(target, **lists, **kw)


def figures(h: dict) -> dict:
    return evaluate(history_of(h)).model_dump(mode="json")


def dig(data, path: str):
    for part in path.split("."):
        data = data[part]
    return data


def plain(value):
    """YAML dates become ISO strings, to compare with the JSON dump."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def load_cases():
    found = []
    for path in sorted(CASES.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text("utf-8"))
        for case in doc["cases"]:
            found.append(pytest.param(path.stem, doc, case, id=f"{path.stem}:{case['name']}"))
    return found
