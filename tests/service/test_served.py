"""The zone set in force: one snapshot for rankings, runs and reports; publishing a redrawn
zone set changes all of them at once, rolling back restores them."""

from __future__ import annotations

import json

import shapely
from shapely.geometry import mapping

from service.served import ServedDataset, with_zone_sets
from tests.helpers.jobs import wait_for
from tests.service.conftest import waiting_package
from zones.io import zone_set_from_geojson, zone_set_geojson
from zones.model import Lot, Zone, ZoneProvider, ZoneSet


def _whole_city(zs: ZoneSet, holder: str) -> ZoneSet:
    """``zs`` redrawn as one zone (the union of its zones) that only ``holder`` holds."""
    whole = Zone(
        id="whole-city",
        name="Whole city",
        lot=zs.lot,
        geometry=mapping(shapely.union_all([z.polygon() for z in zs.zones])),
        hourly_rate_pence=zs.zones[0].hourly_rate_pence,
        providers=[ZoneProvider(provider_id=holder, tier=zs.zones[0].providers[0].tier)],
    )
    return zs.model_copy(update={"zones": [whole]})


def _lot_set(scenario) -> ZoneSet:
    return ZoneSet(
        id="s", name="s", council=scenario.council, lot=Lot.HOME_CARE, zones=scenario.zones
    )


def test_with_zone_sets_replaces_a_lots_zones_and_recommissions_packages(small_scenario):
    same = _lot_set(small_scenario)
    assert with_zone_sets(small_scenario, {Lot.HOME_CARE: same}) is small_scenario
    holder = small_scenario.providers[0].id
    redrawn = with_zone_sets(small_scenario, {Lot.HOME_CARE: _whole_city(same, holder)})
    assert [z.id for z in redrawn.zones] == ["whole-city"]
    zoned = [p for p in small_scenario.packages if p.zone_id is not None]
    assert zoned and all(
        p.zone_id == "whole-city" for p in redrawn.packages if p.id in {q.id for q in zoned}
    )
    assert small_scenario.zones[0].id != "whole-city"  # the stored scenario is untouched


def test_publish_swaps_the_snapshot_once_and_only_for_the_served_council(small_ranker):
    dataset = ServedDataset(7, small_ranker)
    before = dataset.now()
    assert before.ranker is small_ranker and before.scenario is small_ranker.scenario
    lot_set = _lot_set(small_ranker.scenario)
    other = lot_set.model_copy(update={"council": "oxfordshire"})
    assert not dataset.publish(other) and dataset.now() is before
    assert dataset.publish(_whole_city(lot_set, small_ranker.scenario.providers[0].id))
    after = dataset.now()
    assert [z.id for z in after.scenario.zones] == ["whole-city"]
    assert after.ranker.scenario is after.scenario and after.ranker.index is small_ranker.index
    assert after.ranker.zone_index[Lot.HOME_CARE][0].zones[0].id == "whole-city"
    assert [z.id for z in before.scenario.zones] != ["whole-city"]  # old snapshots stay whole
    assert small_ranker.zone_index[Lot.HOME_CARE][0].zones[0].id != "whole-city"


def _runs(client, h, provider: str) -> dict:
    job = client.post(
        "/v1/runs", json={"provider_id": provider, "day": "tue", "time_limit": 1}, headers=h
    )
    done = wait_for(client, job.json()["id"], h)
    assert done["status"] == "succeeded", done["error"]
    return done["result"]["days"][0]


def test_a_published_redrawn_zone_set_is_in_force_for_rankings_and_runs(service, small_scenario):
    _, client, keys = service
    hp, hb = {"X-API-Key": keys["planner"]}, {"X-API-Key": keys["brokerage"]}
    name = client.get("/v1/zone-sets", headers=hp).json()[0]["name"]
    current = zone_set_from_geojson(
        json.loads(client.get(f"/v1/zone-sets/{name}", headers=hp).content)
    )
    # located by its home (a zone_id would name a zone of the set the redraw replaces)
    package = waiting_package(small_scenario) | {"zone_id": None}
    # P plans runs; H is the only holder of the redrawn map's one zone
    planner_id = next(p.provider_id for p in small_scenario.packages if p.provider_id)
    holder = next(p.id for p in small_scenario.providers if p.id != planner_id)
    ranking_before = client.post("/v1/rankings", json={"package": package}, headers=hb).json()
    runs_before = _runs(client, hp, planner_id)
    assert ranking_before["zone_id"] != "whole-city"
    assert runs_before["totals"]["out_of_zone_visits"] < runs_before["totals"]["visits"]

    redrawn = json.loads(zone_set_geojson(_whole_city(current, holder)))
    assert client.put(f"/v1/zone-sets/{name}", json=redrawn, headers=hp).status_code == 201
    published = client.post(f"/v1/zone-sets/{name}/publish", json={"version": 2}, headers=hp)
    assert published.status_code == 200

    ranking = client.post("/v1/rankings", json={"package": package}, headers=hb).json()
    assert ranking["zone_id"] == "whole-city"
    assert {e["provider_id"] for e in ranking["ranked"]} <= {holder}
    runs = _runs(client, hp, planner_id)  # P holds no zone now: every visit is outside its zones
    assert runs["totals"]["visits"] > 0
    assert runs["totals"]["out_of_zone_visits"] == runs["totals"]["visits"]
    assert any("does not hold" in note for note in runs["notes"])

    client.post(f"/v1/zone-sets/{name}/rollback", headers=hp)
    after = client.post("/v1/rankings", json={"package": package}, headers=hb).json()
    assert after.pop("award_id") != ranking_before.pop("award_id")  # two awards, else the same
    assert after == ranking_before
    again = _runs(client, hp, planner_id)
    assert again["totals"]["out_of_zone_visits"] < again["totals"]["visits"]
