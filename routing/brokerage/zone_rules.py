"""The framework's rule on visits outside a provider's zones, read from the council's policies.

The run optimiser never reads brokerage policies: callers resolve the rule here and hand it
to the run builder in ``RunSettings.zone_rules`` (``run_settings_for`` does both).
"""

from __future__ import annotations

from dataclasses import replace

from routing.brokerage.policy import COUNCIL_POLICIES, load_policy
from routing.domain.zoning import OutOfZone, ZoneRule
from routing.runs.build import RunSettings
from zones.model import Lot


def out_of_zone_rule(council: str, lot: Lot, override: OutOfZone = "policy") -> ZoneRule:
    """The council's rule for visits outside a provider's zones in ``lot``.

    ``override`` "allow" or "refuse" replaces the policy (a what-if, said in the source)."""
    if override != "policy":
        return ZoneRule(override == "allow", f"set for this plan ({override})")
    name = COUNCIL_POLICIES.get(council, {}).get(lot)
    if name is None:
        return ZoneRule(False, f"no {council} policy for {lot.value}: refused by default")
    p = load_policy(name)
    return ZoneRule(p.out_of_zone_visits == "allow", f"policy {p.name} version {p.version}")


def zone_rules(council: str) -> dict[Lot, ZoneRule]:
    """Every lot's out-of-zone rule for ``council`` (lots without a policy: refused)."""
    return {lot: out_of_zone_rule(council, lot) for lot in Lot}


def run_settings_for(council: str, settings: RunSettings | None = None) -> RunSettings:
    """``settings`` (default ``RunSettings()``) with the council's out-of-zone rules filled in.

    Rules already given are kept, so a caller's what-if wins."""
    settings = settings or RunSettings()
    if settings.zone_rules is not None:
        return settings
    return replace(settings, zone_rules=zone_rules(council))
