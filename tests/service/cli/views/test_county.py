"""The county printer: the county totals with travel per care hour, km inside and across
zones, care hours unserved by zone with why, the commonest reasons and the notes; the pooled
comparison with its km change and a warning when it is not like for like."""

from __future__ import annotations

from routing.analysis.county import CountyPlan
from routing.analysis.pooled import PooledComparison
from routing.runs.mileage import Mileage
from routing.runs.totals import Totals
from service.cli.views import print_county_plan, print_pooled


def county(km: float, unserved_by_zone: dict[str, float]) -> CountyPlan:
    totals = Totals(
        runs=12,
        km=km,
        kg_co2e=31.5,
        travel_minutes=600.0,
        care_minutes=2400.0,
        across_zones_km=20.0,
        out_of_zone_visits=3,
    )
    return CountyPlan(
        plans=[],
        missing=[],
        totals=totals,
        mileage=Mileage(
            total=totals, by_zone={}, by_provider={}, by_mode={}, run_shares_by_mode={}
        ),
        unserved_hours_by_zone=unserved_by_zone,
        unserved_reasons={"no room": 4, "hours exhausted": 2},
        unserved_reasons_by_zone={"North": {"no room": 1.5}},
        seconds=42.0,
        dask_workers=2,
        scheduler="tcp://127.0.0.1:8786",
        notes=["one provider has no carers"],
    )


def test_the_county_totals_zones_and_reasons(shown):
    text = shown(print_county_plan, "Cambridge", county(250.0, {"North": 1.5, "South": 0.0}))
    assert "Cambridge: 0 provider-days on tcp://127.0.0.1:8786 in 42 s" in text
    assert "12 runs, 250.0 km, 31.5 kg CO2e, 15.0 travel min per care hour" in text
    assert "230.0 km inside zones, 20.0 km across zone boundaries; 3 visit(s)" in text
    rows = {
        r[0]: r[1:]
        for r in (
            [c.strip() for c in line.split("│")[1:-1]]
            for line in text.splitlines()
            if line.count("│") == 4
        )
    }
    assert rows["North"] == ["1.5", "no room (1.5)"] and rows["South"] == ["0.0", ""]
    assert "4 visit(s): no room" in text and "2 visit(s): hours exhausted" in text
    assert "one provider has no carers" in text


def test_pooled_against_per_provider_and_the_like_for_like_warning(shown):
    fair = PooledComparison(
        county(200.0, {"N": 2.0}),
        county(150.0, {"N": 1.0}),
        providers=6,
        units=3,
        time_limit=2.0,
        pooled_time_limit=4.0,
    )
    text = " ".join(shown(print_pooled, fair).split())
    assert "3 planning units at 4.0 s each" in text and "6 providers at 2 s" in text
    assert "150.0 km against 200.0 km per provider (-25.0%)" in text
    assert "care hours unserved 1.0 against 2.0" in text and "NOT LIKE FOR LIKE" not in text
    unfair = PooledComparison(
        county(200.0, {"N": 1.0}),
        county(150.0, {"N": 3.0}),
        providers=6,
        units=3,
        time_limit=2.0,
        pooled_time_limit=4.0,
    )
    assert "NOT LIKE FOR LIKE" in shown(print_pooled, unfair)
