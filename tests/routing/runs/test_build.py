"""The run builder's notes: each carries a stable code beside its sentence (the travel
data's, and the packages outside the provider's zones, planned or refused)."""

from __future__ import annotations

from collections import Counter

import pytest

from geodata.notes import TravelNoteCode, code_of
from routing.domain.generate import generate_scenario
from routing.domain.model import Location, Weekday
from routing.domain.zoning import held_zones
from routing.runs.build import RunSettings, ZoneNoteCode, build_day
from tests.helpers import council_settings
from zones.model import Lot

MON = Weekday.MON


@pytest.fixture(scope="module")
def moved():
    """Oxfordshire (policy: refuse) with one of a provider's Monday packages moved into a
    home-care zone that provider does not hold."""
    sc = generate_scenario("oxfordshire", clients=120, seed=3)
    counts = Counter(
        p.provider_id
        for p in sc.packages
        if p.provider_id and p.lot == Lot.HOME_CARE and any(MON in v.days for v in p.visits)
    )
    pid = counts.most_common(1)[0][0]
    target = next(z for z in sc.zones if z.lot == Lot.HOME_CARE and z.id not in held_zones(sc, pid))
    pkg = next(
        p
        for p in sc.packages
        if p.provider_id == pid and p.lot == Lot.HOME_CARE and any(MON in v.days for v in p.visits)
    )
    pt = target.polygon().representative_point()
    new = pkg.model_copy(update={"zone_id": target.id, "location": Location(lon=pt.x, lat=pt.y)})
    packages = [new if p.id == pkg.id else p for p in sc.packages]
    return sc.model_copy(update={"packages": packages}), pid


def _zone_notes(problem) -> list[tuple[str, str]]:
    return [(n.code, n) for n in problem.notes if isinstance(n.code, ZoneNoteCode)]


def test_the_refused_package_is_noted_with_its_code(moved):
    sc, pid = moved
    problem, _ = build_day(sc, pid, MON, council_settings(sc))
    ((code, text),) = _zone_notes(problem)
    assert code is ZoneNoteCode.OUT_OF_ZONE_REFUSED
    assert text.startswith(f"1 package(s) in zones {pid} does not hold: refused (policy ")
    assert all(code_of(n) for n in problem.notes)  # every note has a code
    assert {n.code for n in problem.notes} & set(TravelNoteCode)  # the matrix's own notes


def test_the_allowed_package_is_noted_as_planned(moved):
    sc, pid = moved
    problem, _ = build_day(sc, pid, MON, RunSettings(out_of_zone="allow"))
    assert _zone_notes(problem) == [
        (
            ZoneNoteCode.OUT_OF_ZONE_PLANNED,
            f"1 package(s) in zones {pid} does not hold: planned (set for this plan (allow))",
        )
    ]
