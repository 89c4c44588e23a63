"""Parsing the command line's option values: days, dates, a week's Monday, KEY=VALUE pairs.

A value that does not parse raises ``InputError`` with one line naming the option; the
top-level handler prints it and exits with status 1 (usage errors such as a missing option
are typer's and exit 2).
"""

from __future__ import annotations

from datetime import date

from geodata.errors import InvalidInput
from routing.domain.model import WEEK, Weekday

DAY_OR_WEEK_HELP = "mon..sun, or week"


class InputError(InvalidInput):
    """A command-line value that does not parse; the message is one line naming the option."""

    code = "option_invalid"


def parse_days(value: str, option: str = "--day") -> list[Weekday]:
    """The days a ``mon``..``sun`` or ``week`` option names: one day, or all seven in order."""
    if value == "week":
        return list(WEEK)
    try:
        return [Weekday(value)]
    except ValueError:
        raise InputError(f"{option}: {value!r} is not one of mon..sun or week") from None


def parse_date(value: str, option: str) -> date:
    """An ISO date (YYYY-MM-DD) given to ``option``."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_monday(value: str, option: str = "--week") -> date:
    """An ISO date that must be a Monday (the first day of a planning week)."""
    monday = parse_date(value, option)
    if monday.weekday() != 0:
        raise InputError(f"{option}: {value} is a {monday:%A}; give the week's Monday")
    return monday


def parse_pairs(items: list[str] | None, option: str, form: str = "KEY=VALUE") -> dict[str, str]:
    """Repeated ``KEY=VALUE`` values of ``option`` as a dict (``form`` names them in errors)."""
    pairs: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise InputError(f"{option} {item!r}: use {form}")
        pairs[key] = value
    return pairs
