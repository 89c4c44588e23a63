"""Option values: one day or the week, dates, a week's Monday and KEY=VALUE pairs; a value
that does not parse is one line naming the option, and exits 1 from the command line."""

from __future__ import annotations

from datetime import date

import pytest

from routing.domain.model import WEEK, Weekday
from service.cli import main
from service.cli.options import InputError, parse_date, parse_days, parse_monday, parse_pairs


def test_a_day_is_that_day_and_week_is_monday_to_sunday():
    assert parse_days("tue") == [Weekday.TUE]
    assert parse_days("week") == list(WEEK)
    assert [d.value for d in parse_days("week")] == [
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
    ]


@pytest.mark.parametrize("value", ["someday", "Mon", "monday", "", "weeks"])
def test_anything_else_names_the_option_and_the_choices(value):
    with pytest.raises(InputError) as err:
        parse_days(value, "--on")
    assert str(err.value) == f"--on: {value!r} is not one of mon..sun or week"


@pytest.mark.parametrize(
    "args",
    [
        ["whatif", "--day", "someday", "--recruit-local"],
        ["replan", "--day", "someday"],
        ["runs", "solve", "tests/none.json", "--provider", "P", "--day", "someday"],
    ],
)
def test_every_command_taking_a_day_uses_it(args, capsys, error_line, tmp_path):
    if args[0] == "runs":  # runs solve reads its scenario first
        path = tmp_path / "s.json"
        assert (
            main(
                [
                    "scenario",
                    "generate",
                    "--council",
                    "cambridge",
                    "--clients",
                    "5",
                    "--out",
                    str(path),
                ]
            )
            == 0
        )
        args = [*args[:2], str(path), *args[3:]]
        capsys.readouterr()
    assert main(args) == 1
    assert error_line(capsys) == "carerun: error: --day: 'someday' is not one of mon..sun or week"


def test_dates_and_mondays():
    assert parse_date("2026-11-23", "--from") == date(2026, 11, 23)
    assert parse_monday("2026-11-23") == date(2026, 11, 23)
    with pytest.raises(InputError, match=r"^--to: '23/11/2026' is not a date \(YYYY-MM-DD\)$"):
        parse_date("23/11/2026", "--to")
    with pytest.raises(
        InputError, match=r"^--week: 2026-11-24 is a Tuesday; give the week.s Monday$"
    ):
        parse_monday("2026-11-24")


def test_pairs():
    assert parse_pairs(["E05=zone-1", "E06=zone-2=x"], "--lock") == {
        "E05": "zone-1",
        "E06": "zone-2=x",
    }
    assert parse_pairs(None, "--lock") == {}
    with pytest.raises(InputError, match=r"^--lock 'E05': use BLOCK=ZONE$"):
        parse_pairs(["E05"], "--lock", "BLOCK=ZONE")
