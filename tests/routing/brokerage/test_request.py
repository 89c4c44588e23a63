"""A ranking request is checked when made: each error names the field."""

from __future__ import annotations

from datetime import date

import pytest

from routing.brokerage.request import RankingError, RankingRequest
from routing.domain.model import Location
from tests.helpers.ranking_cases import (
    MONDAY,
    OXFORD,
    make_candidate,
    make_package,
    make_provider,
    make_request,
    make_zone,
)


def test_requests_that_cannot_be_answered_name_the_field():
    home_zone = make_zone([("A", "strategic", 1)], lot="home_care")
    with pytest.raises(RankingError, match=r"^candidates\['Q'\]: no such provider"):
        make_request(home_zone, [make_provider("A")], [make_candidate("Q")])
    with pytest.raises(RankingError, match=r"^candidates\['A'\].marginal_minutes"):
        make_request(home_zone, [make_provider("A")], [make_candidate("A", minutes=float("nan"))])
    with pytest.raises(RankingError, match=r"^band: 6 is not one of 1-5"):
        RankingRequest(location=OXFORD, band=6)


def test_keys_must_be_the_ids_and_the_lot_the_packages():
    a = make_provider("A")
    with pytest.raises(RankingError, match=r"^providers\['B'\]: key differs from the id 'A'"):
        RankingRequest(package=make_package(), providers={"B": a})
    with pytest.raises(RankingError, match=r"^candidates\['A'\]: key differs"):
        RankingRequest(
            package=make_package(), providers={"A": a}, candidates={"A": make_candidate("B")}
        )
    with pytest.raises(RankingError, match=r"^lot: reablement differs from the package's lot"):
        RankingRequest(package=make_package(), lot="reablement")
    with pytest.raises(RankingError, match=r"^location: lat"):
        RankingRequest(location={"lon": -1.25, "lat": 95.0}, band=3)


def test_the_package_gives_the_lot_start_date_and_location_unless_the_request_does():
    pkg = make_package(lot="reablement")
    req = RankingRequest(package=pkg)
    assert (req.lot, req.start_date, req.location) == ("reablement", MONDAY, pkg.location)
    later = RankingRequest(package=pkg, start_date=date(2026, 2, 2))
    assert later.start_date == date(2026, 2, 2)
    homes = RankingRequest(location=OXFORD, band=3)
    assert isinstance(homes.location, Location) and homes.lot is None
