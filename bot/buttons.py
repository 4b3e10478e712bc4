"""The one owner of the values an option carries (what a tap sends back as a message).

A value is "kind" or "kind:argument": "yes", "no", "continue", "details", "task:my_cap",
"pick:<intent>" (a "您是想问" choice), "year:2025" (a year to tick in a multi-select),
"years:2025,2026" / "years:all" / "years:none" (a confirmed selection), "status:elsewhere",
"backpaid:1", "paid:collection". The answers make them with `value`, the faces tick and confirm
with `toggle` / `is_toggle` / `chosen`, and the conversation reads them with `parts`.
"""

from __future__ import annotations

from collections.abc import Iterable

TOGGLE = "year"  # a year the person ticks in a multi-select ("year:2025")
CHOSEN = "years"  # what a confirmed selection sends ("years:2025,2026", "years:none")
PICK = "pick"  # a "您是想问" choice ("pick:<intent>")
TASK = "task"  # a question to work out ("task:my_cap")


def value(kind: str, argument: object = "") -> str:
    """The option value for this kind and argument ("task", "my_cap" -> "task:my_cap")."""
    text = str(argument)
    return f"{kind}:{text}" if text else kind


def parts(option_value: str) -> tuple[str, str]:
    """("kind", "argument") of a value; the argument is "" where there is none."""
    kind, _, argument = option_value.partition(":")
    return kind, argument


def toggle(year: int) -> str:
    return value(TOGGLE, year)


def is_toggle(option_value: str) -> bool:
    """A year to tick in a multi-select (the reply's other options are sent at once)."""
    return parts(option_value)[0] == TOGGLE and parts(option_value)[1].isdigit()


def chosen(toggles: Iterable[str]) -> str:
    """What a confirmed selection of ticked years sends: "years:2025,2026", or "years:none"."""
    years = [parts(v)[1] for v in toggles]
    return value(CHOSEN, ",".join(years) if years else "none")


def arguments(option_values: Iterable[str], kind: str) -> list[str]:
    """The arguments of the values of one kind ("pick" -> the intents offered)."""
    return [argument for k, argument in map(parts, option_values) if k == kind]
