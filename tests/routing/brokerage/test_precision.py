"""Values as shown: rounded to their precision, printed without trailing zeros, money in £."""

from __future__ import annotations

import math

from routing.brokerage.precision import as_shown, gbp, shown


def test_values_are_rounded_as_shown_and_never_minus_zero():
    assert as_shown(30.04, "minutes") == 30.0
    assert as_shown(2.004, "kg_co2e") == 2.0
    assert as_shown(0.55714, "score") == 0.5571
    zero = as_shown(-0.001, "km")
    assert zero == 0 and math.copysign(1, zero) == 1


def test_shown_drops_trailing_zeros_and_signs_when_asked():
    assert shown(31.44, "km", signed=True) == "+31.44"
    assert shown(42.0, "minutes", signed=True) == "+42"
    assert shown(-3.5, "minutes", signed=True) == "-3.5"
    assert shown(-0.004, "km", signed=True) == "+0"
    assert shown(70.48, "spare_hours") == "70.48"


def test_pounds_have_thousands_and_two_pence_digits():
    assert gbp(150700) == "£1,507.00"
    assert gbp(1479) == "£14.79"
    assert gbp(5) == "£0.05"
