"""The domain model rejects bad input with the field named, and counts hours as councils do."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from routing.domain.model import Carer, Package, Scenario, Shift, TimeWindow, Visit

H = 3600


def _visit(**kw):
    base = dict(
        id="V1", days=["mon", "tue"], windows=[{"start": 7 * H, "end": 10 * H}], duration=1800
    )
    return Visit(**(base | kw))


def _package(**kw):
    base = dict(
        id="P1",
        client_id="C1",
        location={"lon": 0.12, "lat": 52.2},
        visits=[_visit()],
        start_date=date(2026, 1, 5),
    )
    return Package(**(base | kw))


def test_double_handed_hours_count_twice():
    p = _package(visits=[_visit(carers=2, duration=3600, days=["mon", "tue", "wed"])])
    assert p.weekly_hours() == pytest.approx(6.0)


@pytest.mark.parametrize(
    ("kwargs", "where"),
    [
        ({"duration": 0}, "duration"),
        ({"carers": 3}, "carers"),
        ({"days": []}, "days"),
        ({"days": ["mon", "mon"]}, "day is listed twice"),
        ({"windows": [{"start": 10 * H, "end": 9 * H}]}, "before start"),
        ({"days": ["someday"]}, "days"),
    ],
)
def test_bad_visit_names_the_field(kwargs, where):
    with pytest.raises(ValidationError) as err:
        _visit(**kwargs)
    assert where in str(err.value)


def test_bad_coordinates_rejected():
    with pytest.raises(ValidationError) as err:
        _package(location={"lon": 200, "lat": 52.2})
    assert "location.lon" in str(err.value).replace("\n", ".")


def test_fuel_only_for_cars():
    shift = Shift(days=["mon"], window=TimeWindow(start=7 * H, end=14 * H))
    with pytest.raises(ValidationError, match="only a car has a fuel"):
        Carer(
            id="K1",
            provider_id="X",
            home={"lon": 0.1, "lat": 52.2},
            mode="walking",
            fuel="petrol",
            shifts=[shift],
            contracted_minutes_week=1800,
        )


def _scenario(**kw):
    base = dict(
        council="cambridge",
        name="t",
        week_start=date(2026, 1, 5),
        providers=[
            {
                "id": "X",
                "name": "Provider A",
                "office": {"lon": 0.1, "lat": 52.2},
                "hourly_rate_pence": 1500,
            }
        ],
    )
    return Scenario.model_validate(base | kw)


def test_references_are_checked():
    with pytest.raises(ValidationError, match=r"packages\[0\].provider_id: unknown provider 'Y'"):
        _scenario(packages=[_package(provider_id="Y").model_dump()])
    with pytest.raises(ValidationError, match="duplicate id 'X'"):
        _scenario(providers=[_scenario().providers[0].model_dump()] * 2)
    with pytest.raises(ValidationError, match="visit id 'V1' is used twice"):
        _scenario(packages=[_package().model_dump(), _package(id="P2").model_dump()])


def test_unknown_fields_are_rejected():
    with pytest.raises(ValidationError, match="address"):
        _package(address="1 High Street")
