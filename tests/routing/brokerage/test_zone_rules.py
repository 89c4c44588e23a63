"""The framework's out-of-zone rule, read from the council's policies and handed to the run
builder: Cambridgeshire's DPS lets carers leave their zones, the zoned frameworks refuse."""

from __future__ import annotations

from routing.brokerage.zone_rules import out_of_zone_rule, run_settings_for, zone_rules
from routing.domain.zoning import ZoneRule
from routing.runs.build import RunSettings
from zones.model import Lot


def test_policies_say_whether_carers_may_leave_their_zones():
    assert not out_of_zone_rule("oxfordshire", Lot.HOME_CARE).allowed
    assert not out_of_zone_rule("west-northamptonshire", Lot.HOME_CARE).allowed
    assert out_of_zone_rule("cambridge", Lot.HOME_CARE).allowed  # the DPS is not zoned
    unknown = out_of_zone_rule("nowhere", Lot.HOME_CARE)
    assert not unknown.allowed and "refused by default" in unknown.source
    assert out_of_zone_rule("oxfordshire", Lot.HOME_CARE, "allow").allowed


def test_the_rule_names_the_policy_it_came_from():
    rule = out_of_zone_rule("oxfordshire", Lot.HOME_CARE)
    assert rule.source.startswith("policy oxfordshire-lot1b version ")
    forced = out_of_zone_rule("cambridge", Lot.HOME_CARE, "refuse")
    assert not forced.allowed and forced.source == "set for this plan (refuse)"


def test_every_lot_has_a_rule_and_the_run_settings_carry_them():
    rules = zone_rules("oxfordshire")
    assert set(rules) == set(Lot)
    assert "refused by default" in rules[Lot.EXTRA_CARE].source  # no policy for the lot
    settings = run_settings_for("cambridge", RunSettings(continuity_s=5.0))
    assert settings.zone_rules == zone_rules("cambridge") and settings.continuity_s == 5.0
    mine = {Lot.HOME_CARE: ZoneRule(False, "a what-if")}
    assert run_settings_for("cambridge", RunSettings(zone_rules=mine)).zone_rules == mine
