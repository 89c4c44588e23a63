"""The policy files and their loader: the six shipped policies, and bad files refused with
the file and the field named."""

from __future__ import annotations

import re

import pytest

from routing.brokerage.policy import (
    CARE_HOME_POLICY,
    COUNCIL_POLICIES,
    POLICY_DIR,
    PolicyError,
    available_policies,
    load_policy,
    load_policy_file,
)
from routing.domain.model import CqcRating


def test_the_six_shipped_policies_load_with_their_sources():
    names = available_policies()
    assert names == [
        "cambridgeshire-dps",
        "leicestershire",
        "oxfordshire-care-homes",
        "oxfordshire-lot1a",
        "oxfordshire-lot1b",
        "west-northamptonshire",
    ]
    kinds = {n: load_policy(n).kind for n in names}
    assert kinds["cambridgeshire-dps"] == "scored"
    assert kinds["oxfordshire-care-homes"] == "care_home"
    assert {kinds[n] for n in names} == {"tiered", "scored", "care_home"}
    reports = {  # each framework cites its council's report by title (docs/references.md)
        "oxfordshire-lot1a": "Contract Extension for the Live Well at Home (Adults) Framework",
        "oxfordshire-lot1b": "Contract Extension for the Live Well at Home (Adults) Framework",
        "west-northamptonshire": "Homecare Services Commissioning Intentions",
        "oxfordshire-care-homes": "Purchasing Framework for Care Homes",
        "leicestershire": "Next Steps in Sustaining and Developing the Home Care Market",
        "cambridgeshire-dps": "Home Care Contract (Cambridgeshire County Council",
    }
    for n, title in reports.items():
        p = load_policy(n)
        assert p.source.startswith(title) and "para " in p.source and p.name == n
        # no stored file name reaches a user, in any source the policy carries
        sources = re.findall(r'"source":\s*"([^"]*)"', p.model_dump_json())
        assert sources and not any(re.search(r"\d{3}_[0-9a-f]{16}", x) for x in sources)
        assert CqcRating.INADEQUATE in p.exclude_ratings
    lot1a = load_policy("oxfordshire-lot1a")
    assert [t.tier for t in lot1a.tiers] == ["strategic", "shadow"]
    assert [t.by_rank for t in lot1a.tiers] == [False, True]
    assert lot1a.within_tier == ["kg_co2e", "minutes", "rating", "spare_hours", "provider_id"]
    assert lot1a.price.hourly_pence == {"reablement": 2907}
    lot1b = load_policy("oxfordshire-lot1b")
    assert lot1b.price.weekly_pence["live_in"] == {"with_break": 150700, "without_break": 110000}
    dps = load_policy("cambridgeshire-dps")
    assert (dps.price.floor_pence, dps.price.ceiling_pence) == (1417, 1622)
    assert (dps.scoring.price_weight, dps.scoring.fit_weight) == (0.6, 0.4)
    homes = load_policy("oxfordshire-care-homes")
    assert homes.care_home.max_miles_outside == 10 and homes.care_home.negotiated_bands == [5]
    assert homes.care_home.fees_illustrative


def test_unknown_policy_name_lists_the_known_ones():
    with pytest.raises(PolicyError, match=r"policy 'surrey' unknown \(known: cambridgeshire-dps"):
        load_policy("surrey")


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('"provider_id"]', '"carbon"]', "within_tier.4"),
        ('tier = "shadow"', 'tier = "gold"', "tiers.1.tier"),
        ('version = "2024-04-01.1"', 'version = "April 2024"', "version"),
        ("reablement = 2907", "reablement = -5", "price.hourly_pence.reablement"),
        ('kind = "tiered"', 'kind = "tiered"\nwithin_teir = []', "within_teir"),
        ('name = "oxfordshire-lot1a"', 'name = "lot1a"', "name"),
    ],
)
def test_a_bad_policy_file_names_the_file_and_the_field(tmp_path, old, new, field):
    text = (POLICY_DIR / "oxfordshire-lot1a.toml").read_text()
    assert old in text
    path = tmp_path / "oxfordshire-lot1a.toml"
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(PolicyError) as err:
        load_policy_file(path)
    assert str(err.value).startswith(f"oxfordshire-lot1a.toml: {field}")


def test_a_broken_toml_file_is_named(tmp_path):
    path = tmp_path / "x.toml"
    path.write_text('name = "x\n')
    with pytest.raises(PolicyError, match=r"^x.toml: not valid TOML"):
        load_policy_file(path)


def test_scored_policy_without_scoring_names_the_field(tmp_path):
    text = (POLICY_DIR / "cambridgeshire-dps.toml").read_text()
    text = text.split("[scoring]")[0]
    path = tmp_path / "cambridgeshire-dps.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=r"scoring: required for a scored policy"):
        load_policy_file(path)


def test_every_council_policy_is_shipped_and_covers_its_lot():
    for council, by_lot in COUNCIL_POLICIES.items():
        for lot, name in by_lot.items():
            policy = load_policy(name)
            assert policy.kind != "care_home", (council, lot)
            assert lot in policy.lots, (council, lot, name)
    for council, name in CARE_HOME_POLICY.items():
        assert load_policy(name).kind == "care_home", council
