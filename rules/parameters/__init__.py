"""Dated policy parameters, read once from the YAML files beside this module.

Each file holds one or a few parameters; each value carries the day it takes effect (`from`,
optionally `until`), its unit, and its reference: the document, the article and a sentence
quoted verbatim from it. The files are validated when first read. Asking for a year that no
value covers raises RulesError: a rule never silently yields 0.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from rules.errors import RulesError

HERE = Path(__file__).parent


class Reference(BaseModel):
    """Where a figure or a rule stands: document number or title, article, verbatim sentence."""

    model_config = ConfigDict(extra="forbid")

    document: str = Field(min_length=2)
    article: str = Field(min_length=1)
    quote: str = Field(min_length=6)


class DatedValue(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: dt.date = Field(alias="from")
    until: dt.date | None = None
    value: int | float | dict[str, int]
    reference: Reference

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.until is None or day <= self.until)


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    unit: str = Field(min_length=1)
    values: list[DatedValue] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _ordered(cls, values: list[DatedValue]) -> list[DatedValue]:
        starts = [v.from_ for v in values]
        if starts != sorted(starts) or len(set(starts)) != len(starts):
            raise ValueError("values must be listed by ascending, distinct `from` dates")
        return values

    def at(self, day: dt.date) -> DatedValue | None:
        """The value in force on `day` (the latest one that covers it), or None."""
        found = [v for v in self.values if v.covers(day)]
        return found[-1] if found else None


class ParameterFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    parameters: list[Parameter] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> ParameterFile:
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate parameter names: {names}")
        return self


@lru_cache(maxsize=1)
def parameters() -> dict[str, Parameter]:
    """Every parameter of every YAML file here, by name (read and validated once)."""
    found: dict[str, Parameter] = {}
    for path in sorted(HERE.glob("*.yaml")):
        for param in ParameterFile.model_validate(yaml.safe_load(path.read_text("utf-8"))).parameters:
            if param.name in found:
                raise ValueError(f"parameter {param.name} defined twice ({path.name})")
            found[param.name] = param
    return found


def _param(name: str) -> Parameter:
    try:
        return parameters()[name]
    except KeyError:
        raise RulesError(f"没有名为 {name} 的参数") from None


def entry(name: str, year: int) -> DatedValue:
    """The dated value of `name` in force on 1 January of the insured `year`; raises if none."""
    found = _param(name).at(dt.date(year, 1, 1))
    if found is None:
        raise RulesError(
            f"{year}年度没有适用的政策参数“{_param(name).description}”（no value of {name} covers {year}）"
        )
    return found


def value(name: str, year: int) -> Any:
    """The number (or mapping) of `name` for the insured `year`; raises RulesError if none."""
    return entry(name, year).value


def optional(name: str, year: int) -> DatedValue | None:
    """For figures the sources give only for some years (contribution tiers): None otherwise."""
    return _param(name).at(dt.date(year, 1, 1))
