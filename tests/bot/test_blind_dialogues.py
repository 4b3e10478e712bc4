"""Blind conversations, scored as the project's scorer scores `yibao chat`: every group of the
expected figure appears in what the person is shown after the first message. The figure may not fall."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from pathlib import Path

import yaml

from bot import service

DATA = Path(__file__).resolve().parents[2] / "bot" / "bench" / "data"
FLOORS = {
    "dialogues-blind-3.yaml": 39,
    "dialogues-blind-4.yaml": 30,
    "dialogues-blind-5.yaml": 40,
    "dialogues-blind-6.yaml": 28,
    "dialogues-blind-7.yaml": 28,
}


def _norm(text: str) -> str:
    return re.sub(r"(?<=\d)[,，\s](?=\d{3})", "", unicodedata.normalize("NFKC", text))


def _passes(dialogue: dict) -> bool:
    """Through the service layer and a store, as `yibao chat` holds a conversation."""
    store, today = service.open_store("memory"), dt.date.fromisoformat(str(dialogue["today"]))
    service.turn(store, "blind", dialogue["turns"][0], today)
    shown = ""
    for turn in dialogue["turns"][1:]:
        shown += "\n".join(r.text for r in service.turn(store, "blind", turn, today)) + "\n"
    shown = _norm(shown)
    return all(any(_norm(alt) in shown for alt in group) for group in dialogue["expect"])


def test_every_shipped_blind_dialogue_set_has_a_floor():
    assert {p.name for p in DATA.glob("dialogues-blind-*.yaml")} == set(FLOORS)


def test_the_blind_conversations_do_not_fall_below_their_measured_figure():
    for name, floor in FLOORS.items():
        dialogues = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))["dialogues"]
        right = sum(_passes(d) for d in dialogues)
        assert right >= floor, f"{name}: {right}/{len(dialogues)} below {floor}"
