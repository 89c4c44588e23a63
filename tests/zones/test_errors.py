"""Errors of the zones layer: not found is not found, and each names what to change."""

from __future__ import annotations

import pytest

from geodata.errors import ErrorKind
from zones.errors import RedrawInfeasible, ZoneError


def test_zone_errors_are_the_users_input_and_redraw_says_what_to_relax():
    assert ZoneError.kind is ErrorKind.INVALID_INPUT
    assert issubclass(RedrawInfeasible, ZoneError) and RedrawInfeasible.code != ZoneError.code


def test_an_unknown_zone_reads_as_its_message_and_is_still_a_key_error():
    from zones.builtin import builtin_zone_set
    from zones.errors import UnknownZone, UnknownZoneSet

    zs = builtin_zone_set("oxfordshire-lot1b")
    with pytest.raises(KeyError) as missing:
        zs.zone("atlantis")
    assert isinstance(missing.value, UnknownZone) and missing.value.kind is ErrorKind.NOT_FOUND
    assert str(missing.value).startswith("zone 'atlantis' not in zone set")  # not quoted
    with pytest.raises(UnknownZoneSet):
        builtin_zone_set("atlantis")
