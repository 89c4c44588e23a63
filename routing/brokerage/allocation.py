"""Batch allocation of waiting packages to providers (OR-Tools CP-SAT), against greedy.

Each waiting package is ranked by the council's policy (zone, tiers, insertion into the
provider's current runs); the feasible (package, provider) pairs and their marginal travel
and carbon come from that ranking. CP-SAT then chooses at most one provider per package to
maximise the hours placed, then to honour the policy's order (a lower-ranked offer costs
more), then to minimise kg CO2e, within each provider's spare contracted hours. The greedy
baseline takes packages first come, first served, each to the first offer that still has
room. Every package not placed comes back with why.

Each pair's insertion is priced against today's runs; packages placed with the same provider
are held to its spare hours (not re-routed together), and the result says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

from ortools.sat.python import cp_model

from routing.brokerage.answers import ProviderOffer, Ranking
from routing.brokerage.ranker import Ranker
from routing.domain.model import Package
from routing.errors import InvalidArgument

_HOUR_WEIGHT = 1_000_000  # a placed hour outweighs any order or carbon difference
_ORDER_WEIGHT = 1_000  # one place down the policy's order
_KG_WEIGHT = 10  # per kg CO2e a week


@dataclass(frozen=True)
class Placement:
    """One package given to one provider."""

    package_id: str
    provider_id: str
    position: int  # the provider's place in the package's ranking (1 = first offer)
    weekly_hours: float
    marginal_minutes: float
    marginal_km: float
    marginal_kg_co2e: float


class WaitingCode(StrEnum):
    """Why a package is left waiting, for programs (the sentence says it for people)."""

    PROVIDERS_FULL = "providers_full"  # every provider that could take it is full
    NO_PROVIDER_CAN_START = "no_provider_can_start"  # every provider excluded: cannot start
    BRIDGING = "bridging"  # nobody can start; the policy offers bridging care
    NO_PROVIDER_ON_LIST = "no_provider_on_list"  # no provider on the zone's list can take it
    UNSPECIFIED = "unspecified"  # a reason given without a code (hand-made allocations)


@dataclass(frozen=True)
class WaitingPackage:
    """A package left waiting, and why: a stable ``code`` and a sentence."""

    package_id: str
    weekly_hours: float
    reason: str
    code: WaitingCode = WaitingCode.UNSPECIFIED


@dataclass
class Allocation:
    """Who gets what, what is left waiting, and the totals (per week)."""

    method: str
    placements: list[Placement]
    waiting: list[WaitingPackage]
    status: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def hours_placed(self) -> float:
        return sum(p.weekly_hours for p in self.placements)

    @property
    def hours_waiting(self) -> float:
        return sum(p.weekly_hours for p in self.waiting)

    @property
    def km(self) -> float:
        return sum(p.marginal_km for p in self.placements)

    @property
    def kg_co2e(self) -> float:
        return sum(p.marginal_kg_co2e for p in self.placements)

    @property
    def first_offers(self) -> int:
        """Packages placed with the provider the policy offers them to first."""
        return sum(1 for p in self.placements if p.position == 1)


def rank_all(ranker: Ranker, packages: list[Package]) -> dict[str, Ranking]:
    """The policy's ranking of every package (the offers allocation chooses from)."""
    return {p.id: ranker.rank(p) for p in packages}


def spare_hours(ranker: Ranker) -> dict[str, float]:
    """Each provider's spare contracted hours this week."""
    out: dict[str, float] = {}
    for c, left in zip(ranker.index.carers, ranker.index.remaining_s, strict=True):
        out[c.provider_id] = out.get(c.provider_id, 0.0) + max(0.0, float(left)) / 3600
    return out


def _inputs(
    ranker: Ranker | None,
    packages: list[Package],
    rankings: dict[str, Ranking] | None,
    spare: dict[str, float] | None,
) -> tuple[dict[str, Ranking], dict[str, float]]:
    """The rankings and spare hours to allocate with: those given, else the ranker's."""
    if ranker is None and (rankings is None or spare is None):
        raise InvalidArgument("ranker: give a ranker, or both rankings and spare hours")
    if rankings is None:
        assert ranker is not None
        rankings = rank_all(ranker, packages)
    if spare is None:
        assert ranker is not None
        spare = spare_hours(ranker)
    return rankings, dict(spare)


def _offers(ranking: Ranking) -> list[ProviderOffer]:
    """A package's offers; a care-home ranking has none to allocate (a bed is not hours)."""
    offers = [e for e in ranking.ranked if isinstance(e, ProviderOffer)]
    if len(offers) != len(ranking.ranked):
        raise InvalidArgument("rankings: care-home rankings cannot be allocated as hours")
    return offers


def _why_waiting(ranking: Ranking, had_offers: bool) -> tuple[str, WaitingCode]:
    if had_offers:
        return (
            "every provider that could take it was full with other packages",
            WaitingCode.PROVIDERS_FULL,
        )
    reasons = sorted({e.reason for e in ranking.excluded if e.code == "cannot_start"})
    if reasons:
        return "no provider can take it: " + reasons[0], WaitingCode.NO_PROVIDER_CAN_START
    if ranking.bridging:
        return ranking.bridging, WaitingCode.BRIDGING
    return "no provider on the zone's list can take it", WaitingCode.NO_PROVIDER_ON_LIST


def greedy(
    ranker: Ranker | None,
    packages: list[Package],
    rankings: dict[str, Ranking] | None = None,
    spare: dict[str, float] | None = None,
) -> Allocation:
    """First come, first served: each package to its first offer that still has room.

    ``rankings`` and ``spare`` (hours per provider) default to the ranker's; pass both to
    allocate without a ranker.
    """
    rankings, spare = _inputs(ranker, packages, rankings, spare)
    placed, waiting = [], []
    for pkg in packages:
        r = rankings[pkg.id]
        hours = pkg.weekly_hours()
        for entry in _offers(r):
            need = hours + entry.marginal_minutes / 60
            if spare.get(entry.provider_id, 0.0) >= need:
                spare[entry.provider_id] -= need
                placed.append(
                    Placement(
                        pkg.id,
                        entry.provider_id,
                        entry.position,
                        hours,
                        entry.marginal_minutes,
                        entry.marginal_km,
                        entry.marginal_kg_co2e,
                    )
                )
                break
        else:
            waiting.append(WaitingPackage(pkg.id, hours, *_why_waiting(r, bool(r.ranked))))
    return Allocation("greedy (first come, first served)", placed, waiting, "complete")


def allocate(
    ranker: Ranker | None,
    packages: list[Package],
    time_limit: float = 10.0,
    rankings: dict[str, Ranking] | None = None,
    spare: dict[str, float] | None = None,
    cpsat_threads: int = 8,
) -> Allocation:
    """CP-SAT: most hours placed, then the policy's order, then least carbon, searched on
    ``cpsat_threads`` CP-SAT threads for at most ``time_limit`` seconds."""
    rankings, spare = _inputs(ranker, packages, rankings, spare)
    m = cp_model.CpModel()
    x: dict[tuple[str, str], cp_model.IntVar] = {}
    offers: dict[str, list[ProviderOffer]] = {}
    for pkg in packages:
        offers[pkg.id] = _offers(rankings[pkg.id])
        for e in offers[pkg.id]:
            x[pkg.id, e.provider_id] = m.new_bool_var(f"x_{pkg.id}_{e.provider_id}")
        if offers[pkg.id]:
            m.add_at_most_one(x[pkg.id, e.provider_id] for e in offers[pkg.id])
    hours = {p.id: p.weekly_hours() for p in packages}
    for prov, room in spare.items():
        terms = [
            (math.ceil(60 * hours[pid] + e.marginal_minutes - 1e-9), x[pid, prov])
            for pid, es in offers.items()
            for e in es
            if e.provider_id == prov
        ]
        if terms:
            m.add(sum(w * v for w, v in terms) <= int(60 * room))
    gain = []
    for pid, es in offers.items():
        for e in es:
            value = (
                round(hours[pid] * 60) * _HOUR_WEIGHT
                - (e.position - 1) * _ORDER_WEIGHT
                - round(e.marginal_kg_co2e * _KG_WEIGHT)
            )
            gain.append(value * x[pid, e.provider_id])
    m.maximize(sum(gain))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = cpsat_threads
    status = solver.solve(m)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return greedy(
            ranker, packages, rankings, spare
        )  # nothing better found: the baseline stands
    placed, waiting = [], []
    for pid, es in offers.items():
        chosen = next((e for e in es if solver.boolean_value(x[pid, e.provider_id])), None)
        if chosen is None:
            waiting.append(WaitingPackage(pid, hours[pid], *_why_waiting(rankings[pid], bool(es))))
            continue
        placed.append(
            Placement(
                pid,
                chosen.provider_id,
                chosen.position,
                hours[pid],
                chosen.marginal_minutes,
                chosen.marginal_km,
                chosen.marginal_kg_co2e,
            )
        )
    return Allocation(
        "CP-SAT (hours, then policy order, then carbon)",
        placed,
        waiting,
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        solver.wall_time,
        [
            "Each placement's travel is priced against today's runs; packages placed with the "
            "same provider are held to its spare contracted hours, not re-routed together."
        ],
    )


def check_allocation(
    allocation: Allocation,
    packages: list[Package],
    rankings: dict[str, Ranking],
    spare: dict[str, float],
) -> list[str]:
    """Every rule an allocation must keep, recomputed from its inputs (empty list: valid).

    Each package is placed once or left waiting with a reason; a placement goes to a
    provider its ranking offered, at that offer's position and numbers; no provider takes
    more hours (care plus marginal travel) than it has spare.
    """
    problems: list[str] = []
    hours = {p.id: p.weekly_hours() for p in packages}
    seen: dict[str, int] = {}
    for pid in [p.package_id for p in allocation.placements] + [
        n.package_id for n in allocation.waiting
    ]:
        seen[pid] = seen.get(pid, 0) + 1
    for pid in hours:
        if seen.get(pid, 0) != 1:
            problems.append(f"package {pid} appears {seen.get(pid, 0)} times (once expected)")
    problems += [f"unknown package {pid}" for pid in seen if pid not in hours]
    load: dict[str, float] = {}
    for pl in allocation.placements:
        offer = next(
            (e for e in _offers(rankings[pl.package_id]) if e.provider_id == pl.provider_id),
            None,
        )
        if offer is None:
            problems.append(f"{pl.package_id} placed with {pl.provider_id}, which was not offered")
            continue
        if offer.position != pl.position or abs(hours[pl.package_id] - pl.weekly_hours) > 1e-9:
            problems.append(f"{pl.package_id}: position or hours differ from the offer")
        load[pl.provider_id] = (
            load.get(pl.provider_id, 0.0) + pl.weekly_hours + (offer.marginal_minutes or 0) / 60
        )
    for prov, used in load.items():
        if used > spare.get(prov, 0.0) + 1e-6:
            problems.append(f"{prov} given {used:.2f} h with {spare.get(prov, 0.0):.2f} h spare")
    problems += [f"{n.package_id} waits with no reason" for n in allocation.waiting if not n.reason]
    return problems
