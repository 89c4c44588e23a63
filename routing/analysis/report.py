"""The mileage and carbon report's model: as-is runs against carerun's optimised runs.

``build_report`` plans every provider-day of the period once (the optimised side), counts
both sides with ``mileage_of`` and gathers what the optimised runs left out and the hours
of packages still waiting for a provider. The numbers go out as JSON from here
(``report_json``); the HTML page, CSV, charts and map are drawn in ``service.render``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from geodata.carbon import FACTOR_YEAR, SOURCE
from routing.analysis.optimised import optimised_runs
from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import WEEK, Run, Scenario
from routing.errors import InvalidArgument
from routing.runs.build import RunSettings
from routing.runs.mileage import Mileage, mileage_of, weekday_counts


@dataclass
class Report:
    """As-is against optimised, for a period, with what could not be served and why."""

    council: str
    scenario: str
    start: date
    end: date
    days: dict[str, int]  # weekday -> occurrences in the period
    as_is: Mileage
    optimised: Mileage
    optimised_unserved: dict[str, int]  # reason -> visits a week left out
    waiting_hours_by_zone: dict[str, float]  # hours a week of packages waiting for a provider
    notes: list[str] = field(default_factory=list)
    optimised_runs: list[Run] = field(default_factory=list, repr=False)

    def saving(self, key: str) -> float:
        """Share (0-1) of the as-is total of ``key`` (``"km"``, ``"kg_co2e"``, ...) saved."""
        a, b = getattr(self.as_is.total, key), getattr(self.optimised.total, key)
        return (a - b) / a if a else 0.0

    def as_dict(self) -> dict:
        """The report's numbers, JSON-ready (km, kg CO2e, hours a week; shares 0-1)."""
        return {
            "council": self.council,
            "scenario": self.scenario,
            "period": {"start": self.start.isoformat(), "end": self.end.isoformat()},
            "days": self.days,
            "carbon_factors": {"year": FACTOR_YEAR, "source": SOURCE},
            "as_is": self.as_is.as_dict(),
            "optimised": self.optimised.as_dict(),
            "saving_share": {k: round(self.saving(k), 4) for k in ("km", "kg_co2e")},
            "optimised_unserved": self.optimised_unserved,
            "waiting_hours_by_zone": {
                k: round(v, 2) for k, v in sorted(self.waiting_hours_by_zone.items())
            },
            "notes": self.notes,
        }


def build_report(
    scenario: Scenario,
    start: date,
    end: date,
    time_limit: float = 2.0,
    on_progress: Callable[[int, int, str], None] | None = None,
    settings: RunSettings | None = None,
) -> Report:
    """As-is (the scenario's runs) against carerun's optimised runs over ``start..end``.

    ``time_limit`` is search seconds per provider-day. Both sides must follow the same
    rules to compare: by default the optimised runs, like greedy as-is runs, place no
    breaks (pass ``settings`` to change that).
    """
    settings = run_settings_for(scenario.council, settings or RunSettings(break_after_s=None))
    if not scenario.runs:
        raise InvalidArgument(
            "scenario: no as-is runs (import them, or build greedy ones first)", loc=("scenario",)
        )
    per_day = weekday_counts(start, end)
    days = [d for d in WEEK if d in per_day]
    opt = optimised_runs(
        scenario, days, time_limit=time_limit, on_progress=on_progress, settings=settings
    )
    as_is = mileage_of(scenario, scenario.runs, per_day)
    optimised = mileage_of(scenario, opt.runs, per_day)
    unserved: Counter[str] = Counter()
    for u in opt.unserved:
        unserved[u.reason] += 1
    zone_name = {z.id: z.name for z in scenario.zones}
    waiting: dict[str, float] = {}
    for p in scenario.packages:
        if p.provider_id is None:
            key = zone_name.get(p.zone_id or "", "no zone")
            waiting[key] = waiting.get(key, 0.0) + p.weekly_hours()
    notes = [
        "As-is runs: "
        + ("; ".join(n for n in scenario.notes if "runs" in n.lower()) or "imported"),
        f"Optimised: carerun's runs for every provider and day, {time_limit:g} s of search each, "
        "every plan checked by the independent checker; runs repeat weekly over the period.",
        "Same rules on both sides: "
        + (
            "no breaks are placed (as-is rotas rarely record them)."
            if settings.break_after_s is None
            else "the optimised runs place Working Time Regulations breaks."
        ),
        *as_is.notes,
        *optimised.notes,
    ]
    if optimised.total.care_hours < as_is.total.care_hours - 1e-6:
        notes.insert(
            0,
            f"NOT LIKE FOR LIKE: the optimised runs serve "
            f"{as_is.total.care_hours - optimised.total.care_hours:,.1f} fewer care hours than "
            "the as-is runs (the visits left out and why are listed); compare travel minutes "
            "per care hour, or give the search more time.",
        )
    return Report(
        scenario.council,
        scenario.name,
        start,
        end,
        {d.value: per_day[d] for d in days},
        as_is,
        optimised,
        dict(sorted(unserved.items())),
        waiting,
        notes,
        opt.runs,
    )


def report_json(report: Report) -> str:
    """The report's numbers (``Report.as_dict``) as indented UTF-8 JSON text."""
    return json.dumps(report.as_dict(), indent=2, ensure_ascii=False)
