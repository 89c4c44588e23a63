"""The deep check for a ranking's short list: re-plan the provider's runs with the package.

Insertion (``routing.brokerage.insertion``) prices a package against today's runs as they are, which
is fast and conservative. A provider that takes the package would re-plan its runs; this
module measures that: for each day the package needs, the provider's runs are built with
the run optimiser (``routing.runs.solver``) with the package and without it, both checked by the
independent checker, and the marginal travel is the difference.

Time-limited searches are noisy, so the "without" baseline is the better (fewer visits
unserved, then less travel) of the re-optimised runs without the package and the runs
with it minus the package's visits, which the checker must accept as a valid plan of the
problem without it. The marginal is therefore never an artefact of a weaker search on the
baseline. Weekly contracted hours are checked over the week of re-planned days.

It informs the brokerage officer; it never reorders a ranking (the policy's order must be
reproducible byte for byte, and a time-limited search is not).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import replace

from routing.brokerage.answers import DeepCheck, DeepCheckDay
from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import WEEK, Package, Scenario, Weekday
from routing.runs.build import DayInput, RunSettings, TravelCache, build_day
from routing.runs.check import CheckReport, check
from routing.runs.plan import PlanCheckError, totals_of
from routing.runs.problem import RunsProblem, RunsSolution, SolverRun, Unserved, UnservedCode
from routing.runs.solver import solve


def deep_check(
    scenario: Scenario,
    package: Package,
    provider_id: str,
    time_limit: float = 1.0,
    seed: int = 0,
    search_processes: int = 1,
    settings: RunSettings | None = None,
) -> DeepCheck:
    """Re-plan ``provider_id``'s runs with and without ``package`` on each day it needs.

    ``time_limit`` is per search (two searches a day). Raises ``PlanCheckError`` if the
    checker rejects a solver plan (a bug, never a result).
    """
    t0 = time.perf_counter()
    settings = run_settings_for(scenario.council, settings)
    if provider_id not in {p.id for p in scenario.providers}:
        return DeepCheck(
            provider_id=provider_id, feasible=False, reason="provider not in the scenario"
        )
    others = [p for p in scenario.packages if p.id != package.id]
    mine = package.model_copy(update={"provider_id": provider_id})
    with_pkg = scenario.model_copy(update={"packages": [*others, mine]})
    without = scenario.model_copy(update={"packages": others})
    cache_w, cache_0 = TravelCache(with_pkg), TravelCache(without)
    staff = {c.id: c for c in scenario.carers if c.provider_id == provider_id}
    # work on the current runs, per carer and day: days not re-planned keep theirs
    current: dict[tuple[str, Weekday], int] = defaultdict(int)
    for run in scenario.runs:
        if run.carer_id in staff:
            care = sum(st.end - st.start for st in run.stops)
            current[run.carer_id, run.day] += int(care + run.travel_seconds())
    days = [d for d in WEEK if any(d in v.days for v in package.visits)]
    done_w: dict[tuple[str, Weekday], int] = {}
    done_0: dict[tuple[str, Weekday], int] = {}
    days_out: list[DeepCheckDay] = []
    reasons: list[str] = []
    for day in days:
        carry_w = DayInput(_week_left(staff, day, current, done_w))
        carry_0 = DayInput(_week_left(staff, day, current, done_0))
        pw, refs_w = build_day(with_pkg, provider_id, day, settings, carry_w, cache=cache_w)
        p0, refs_0 = build_day(without, provider_id, day, settings, carry_0, cache=cache_0)
        sw = solve(pw, time_limit=time_limit, seed=seed, search_processes=search_processes)
        rw = _checked(pw, sw)
        mine_left = [u for u in sw.unserved if refs_w[u.part].package_id == package.id]
        reasons += [f"{day.value} {refs_w[u.part].visit_id}: {u.reason}" for u in mine_left]
        base, how = _baseline(p0, refs_0, pw, refs_w, sw, time_limit, seed, search_processes)
        for report, done in ((rw, done_w), (base, done_0)):
            for c in staff:
                done[c, day] = 0
            for rt in report.runs:
                done[rt.carer, day] += rt.work
        displaced = rw.unserved - base.unserved - len(mine_left)
        if displaced > 0:
            reasons.append(
                f"{day.value}: the re-planned runs ({time_limit:g} s search) leave {displaced} "
                "other visit(s) unserved"
            )
        tw, t0_ = totals_of(pw, rw), totals_of(p0, base)
        days_out.append(
            DeepCheckDay(
                day=day.value,
                minutes_with=round(tw.travel_minutes, 1),
                minutes_without=round(t0_.travel_minutes, 1),
                km_with=round(tw.km, 2),
                km_without=round(t0_.km, 2),
                kg_co2e_with=round(tw.kg_co2e, 3),
                kg_co2e_without=round(t0_.kg_co2e, 3),
                baseline=how,
                status=sw.status,
            )
        )
    return DeepCheck(
        provider_id=provider_id,
        feasible=not reasons,
        reason="; ".join(reasons),
        marginal_minutes=round(sum(d.minutes_with - d.minutes_without for d in days_out), 1),
        marginal_km=round(sum(d.km_with - d.km_without for d in days_out), 2),
        marginal_kg_co2e=round(sum(d.kg_co2e_with - d.kg_co2e_without for d in days_out), 3),
        days=tuple(days_out),
        seconds=round(time.perf_counter() - t0, 1),
    )


def _checked(problem: RunsProblem, solution: RunsSolution) -> CheckReport:
    report = check(problem, solution)
    if not report.ok:
        raise PlanCheckError(f"{problem.name}: failed the check: {report.violations[0]}")
    return report


def _baseline(p0, refs_0, pw, refs_w, sw, time_limit, seed, search_processes):
    """The better valid plan without the package: re-optimised, or the with-plan stripped.

    Returns its check report and which one it is."""
    if not p0.parts:  # nothing to do without the package: empty runs
        return check(p0, RunsSolution([], [])), "no other visits"
    s0 = solve(p0, time_limit=time_limit, seed=seed, search_processes=search_processes)
    options = [(_checked(p0, s0), "re-planned")]
    stripped = _strip(sw, pw, refs_w, p0, refs_0)
    if stripped is not None:
        report = check(p0, stripped)
        if report.ok:
            options.append((report, "with-plan minus the package"))
    return min(options, key=lambda o: (o[0].unserved, o[0].travel_time))


def _week_left(staff, day, current, done) -> dict[str, int]:
    """Seconds of each carer's contracted week left for ``day``: the days already re-planned
    count their new work, every other day its current runs."""
    return {
        cid: c.contracted_minutes_week * 60
        - sum(done.get((cid, d), current[cid, d]) for d in WEEK if d != day)
        for cid, c in staff.items()
    }


def _strip(sw: RunsSolution, pw: RunsProblem, refs_w, p0: RunsProblem, refs_0):
    """The with-package runs minus the package's visits, as a solution of ``p0``."""
    key_w = [(r.package_id, r.visit_id, r.part) for r in refs_w]
    index_0 = {(r.package_id, r.visit_id, r.part): i for i, r in enumerate(refs_0)}
    shift_0 = {w.id: i for i, w in enumerate(p0.shifts)}
    routes: list[SolverRun] = []
    for rt in sw.runs:
        keep = [
            (index_0[key_w[t]], s)
            for t, s in zip(rt.parts, rt.starts, strict=True)
            if key_w[t] in index_0
        ]
        if not keep:
            continue
        wid = shift_0.get(pw.shifts[rt.shift].id)
        if wid is None:
            return None
        tasks, starts = zip(*keep, strict=True)
        routes.append(SolverRun(wid, tasks, starts, rt.leave, rt.back, rt.breaks))
    served = {t for r in routes for t in r.parts}
    left = {key_w[u.part]: u for u in sw.unserved}
    gone = Unserved(-1, "not served", UnservedCode.NOT_SERVED)
    unserved = [
        replace(left.get((r.package_id, r.visit_id, r.part), gone), part=i)
        for i, r in enumerate(refs_0)
        if i not in served
    ]
    return RunsSolution(routes, unserved, status="stripped")
