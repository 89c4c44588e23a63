"""County replan on a two-worker Dask cluster: complete, checked, totals add up, and a
worker killed mid-run does not lose a provider's plan."""

from __future__ import annotations

import json
import os
import signal

import pytest

from geodata.notes import code_of, gist_of
from routing.analysis.county import local_cluster, replan
from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday
from routing.runs.reasons import KIND


@pytest.fixture(scope="module")
def county():
    return generate_scenario("west-northamptonshire", clients=80, seed=6)


@pytest.fixture(scope="module")
def client():
    from dask.distributed import Client

    cluster = local_cluster(2)
    with Client(cluster) as c:
        yield c
    cluster.close()


def _providers(s) -> set[str]:
    return {p.provider_id for p in s.packages if p.provider_id}


@pytest.fixture(scope="module")
def two_days(county, client):
    """Monday and Tuesday replanned on the two Dask workers, with the progress calls seen."""
    seen = []
    cp = replan(
        county,
        [Weekday.MON, Weekday.TUE],
        time_limit=0.3,
        client=client,
        on_progress=lambda done, total, what: seen.append((done, total)),
    )
    return cp, seen


def test_two_dask_workers_replan_a_county_and_the_totals_add_up(county, two_days):
    cp, seen = two_days
    assert cp.missing == [] and cp.dask_workers == 2
    assert {(p.provider_id, p.day) for p in cp.plans} == {
        (pid, d) for pid in _providers(county) for d in (Weekday.MON, Weekday.TUE)
    }
    assert seen[-1] == (len(cp.plans), len(cp.plans))  # progress reached the end
    # the county's totals recounted by hand from every plan's runs (legs, stops, modes)
    runs = [r for p in cp.plans for r in p.runs]
    assert cp.totals.runs == len(runs) > 0
    assert cp.totals.visits == sum(len(r.stops) for r in runs)
    assert cp.totals.unserved == sum(len(p.unserved) for p in cp.plans)
    assert cp.totals.km == pytest.approx(sum(r.travel_metres() for r in runs) / 1000, abs=1e-6)
    assert cp.totals.kg_co2e == pytest.approx(sum(r.kg_co2e() for r in runs), rel=1e-9)
    minutes = sum(r.travel_seconds() for r in runs) / 60
    assert cp.totals.travel_minutes == pytest.approx(minutes, abs=1e-6)
    care = sum(s.end - s.start for r in runs for s in r.stops) / 60
    assert cp.totals.care_minutes == pytest.approx(care, abs=1e-6)
    by_mode: dict[str, float] = {}
    for r in runs:
        by_mode[r.mode.value] = by_mode.get(r.mode.value, 0.0) + r.travel_metres() / 1000
    assert cp.totals.km_by_mode == pytest.approx(by_mode)
    assert cp.mileage.total.km == pytest.approx(cp.totals.km, rel=1e-6)  # the runs' own legs
    # km across zone boundaries: each plan's own share adds up to the county's
    assert 0 < cp.totals.across_zones_km < cp.totals.km
    assert cp.totals.across_zones_km == pytest.approx(cp.mileage.total.across_zones_km)
    unserved = sum(len(p.unserved) for p in cp.plans)
    assert sum(cp.unserved_reasons.values()) == unserved
    for zone, hours in cp.unserved_hours_by_zone.items():  # each zone's hours, with why
        assert sum(cp.unserved_reasons_by_zone[zone].values()) == pytest.approx(hours)
    assert len({p.dask_worker for p in cp.plans}) == 2  # both Dask workers took tasks


def test_unserved_hours_are_grouped_by_zone_and_the_code_of_their_reason(county, two_days):
    cp, _ = two_days
    zone_name = {z.id: z.name for z in county.zones}
    package = {p.id: p for p in county.packages}
    visit = {v.id: v for p in county.packages for v in p.visits}
    want: dict[str, dict[str, float]] = {}
    for u in (u for p in cp.plans for u in p.unserved):
        zone = zone_name.get(package[u.package_id].zone_id or "", "no zone")
        kind = KIND[u.code]  # the code's words, never the sentence's
        want.setdefault(zone, {}).setdefault(kind, 0.0)
        want[zone][kind] += visit[u.visit_id].duration / 3600
    assert want, "the county should leave some care unserved"
    assert set(cp.unserved_reasons_by_zone) == set(want)
    for zone, why in want.items():
        assert cp.unserved_reasons_by_zone[zone] == pytest.approx(why), zone
    assert cp.unserved_hours_by_zone == pytest.approx({z: sum(w.values()) for z, w in want.items()})


def test_the_plans_notes_are_summed_by_gist_with_their_codes(two_days):
    cp, _ = two_days
    plans_with: dict[str, int] = {}
    for p in cp.plans:
        for gist in {gist_of(n) for n in p.notes}:
            plans_with[gist] = plans_with.get(gist, 0) + 1
    assert plans_with, "the plans should say where their travel numbers come from"
    summed = [n for n in cp.notes if n.endswith(" provider-day(s)]")]
    assert sorted(summed) == sorted(f"{g} [{k} provider-day(s)]" for g, k in plans_with.items())
    assert all(code_of(n) for n in cp.notes)  # every county note carries a code


COUNTY_KEYS = {  # the CLI's --json file and the replan job's answer, together
    "scenario",
    "days",
    "scheduler",
    "dask_workers",
    "seconds",
    "provider_days",
    "totals",
    "across_zones_km",
    "unserved_hours_by_zone",
    "unserved_reasons",
    "unserved_reasons_by_zone",
    "missing",
    "notes",
    "note_codes",
    "task_seconds",
}


def test_county_plan_as_dict_holds_the_cli_and_job_keys(county, two_days):
    cp, _ = two_days
    doc = json.loads(json.dumps(cp.as_dict()))
    assert set(doc) == COUNTY_KEYS
    assert doc["scenario"] == county.name and doc["days"] == ["mon", "tue"]
    assert doc["provider_days"] == len(cp.plans) == len(doc["task_seconds"])
    assert doc["dask_workers"] == 2 and doc["missing"] == []
    assert doc["totals"]["km"] == pytest.approx(sum(p.totals.km for p in cp.plans))
    assert doc["totals"]["inside_zones_km"] + doc["totals"]["across_zones_km"] == pytest.approx(
        doc["totals"]["km"]
    )
    assert doc["across_zones_km"] == pytest.approx(cp.mileage.total.across_zones_km, abs=1e-3)
    assert sum(doc["unserved_reasons"].values()) == sum(len(p.unserved) for p in cp.plans)


def test_a_worker_killed_mid_run_still_gives_a_complete_plan(county, client):
    killed = []
    pids = client.run(os.getpid)  # worker address -> its process id

    def kill_one(done: int, total: int, what: str) -> None:
        if not killed:  # after the first plan: the worker dies at once, as on a crash
            victim = sorted(pids)[0]
            os.kill(pids[victim], signal.SIGKILL)
            killed.append(victim)

    cp = replan(county, [Weekday.WED], time_limit=0.3, client=client, on_progress=kill_one)
    assert killed
    assert cp.missing == []
    assert {p.provider_id for p in cp.plans} == _providers(county)
    # the rescheduled plans count once each: totals still equal the plans' own legs
    assert cp.totals.km == pytest.approx(sum(p.totals.km for p in cp.plans))
    assert cp.mileage.total.km == pytest.approx(cp.totals.km, rel=1e-6)


def test_a_task_routes_on_the_networks_it_is_shipped():
    # the Dask workers route on the networks the client sends, not whatever is on their own disk
    from routing.analysis.county import _plan_task
    from routing.runs.travel import council_networks
    from tests.helpers import council_settings

    cam = generate_scenario("cambridge", clients=60, seed=2)
    pid = next(p.provider_id for p in cam.packages if p.provider_id)
    settings = council_settings(cam)
    bare = _plan_task(cam, [], 0.3, settings, pid, Weekday.MON)
    routed = _plan_task(cam, council_networks("cambridge"), 0.3, settings, pid, Weekday.MON)
    legs = [s.estimated for r in bare.runs for s in r.stops]
    assert legs and all(legs)
    assert not any(s.estimated for r in routed.runs for s in r.stops)
