"""What each kind of job does: a pure function of its stored input (so it can be re-run
after a crash), reporting progress and honouring its deadline and cancellation."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from routing.analysis import whatif as wi
from routing.analysis.report import build_report
from routing.brokerage.allocation import allocate, check_allocation, greedy, spare_hours
from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import WEEK, Package, Weekday
from routing.runs.mileage import weekday_counts
from routing.runs.plan import DayPlan, plan_day, plan_week
from service.jobs import Handler, JobContext
from service.render.html import report_html
from service.store import zonesets
from service.store.tables import ReportRow
from zones.blocks import council_blocks
from zones.model import Lot
from zones.redraw import RedrawSettings, redraw, zone_set_from


def handlers(state: Any) -> dict[str, Handler]:
    """The job kinds, bound to the app's state (its ranker and dataset)."""

    def allocation(payload: dict, ctx: JobContext) -> dict:
        ranker = state.ranker
        packages = [Package.model_validate(p) for p in payload["packages"]]
        rankings = {}
        for i, pkg in enumerate(packages):
            rankings[pkg.id] = ranker.rank(pkg)
            if i % 25 == 24:
                ctx.progress(0.5 * (i + 1) / len(packages), f"ranked {i + 1} of {len(packages)}")
        spare = spare_hours(ranker)
        ctx.progress(0.5, "allocating")
        if payload.get("method") == "greedy":
            result = greedy(ranker, packages, rankings, spare)
        else:
            limit = max(1.0, min(float(payload.get("time_limit", 10.0)), ctx.seconds_left() - 5))
            result = allocate(ranker, packages, limit, rankings, spare, workers=2)
        problems = check_allocation(result, packages, rankings, spare)
        if problems:
            raise RuntimeError(f"the allocation failed its independent check: {problems[0]}")
        answer = {
            "method": result.method,
            "status": result.status,
            "hours_placed": round(result.hours_placed, 2),
            "hours_waiting": round(result.hours_waiting, 2),
            "km": round(result.km, 3),
            "kg_co2e": round(result.kg_co2e, 3),
            "placements": [asdict(p) for p in result.placements],
            "not_placed": [asdict(p) for p in result.not_placed],
            "policies": sorted({f"{r.policy} {r.policy_version}" for r in rankings.values()}),
            "notes": result.notes,
            "checked": True,
        }
        answer["_award"] = {
            "kind": "allocation",
            "dataset_id": state.dataset_id,
            "policy": ",".join(sorted({r.policy for r in rankings.values()})),
            "policy_version": ",".join(sorted({r.policy_version for r in rankings.values()})),
            "request": payload,
            "response": json.dumps(answer, sort_keys=True),
        }
        return answer

    def runs(payload: dict, ctx: JobContext) -> dict:
        scenario = state.ranker.scenario
        pid, day = payload["provider_id"], payload["day"]
        per_day = float(payload.get("time_limit", 10.0))
        if day == "week":
            per_day = max(0.5, min(per_day, (ctx.seconds_left() - 10) / 7))
            done: list[DayPlan] = []

            def step(plan: DayPlan) -> None:
                done.append(plan)
                ctx.progress(len(done) / 7, f"{plan.day.value} planned")

            settings = run_settings_for(scenario.council)
            week = plan_week(scenario, pid, settings, time_limit_per_day=per_day, on_day=step)
            plans = week.days
        else:
            settings = run_settings_for(scenario.council)
            plans = [plan_day(scenario, pid, Weekday(day), settings, time_limit=per_day)]
        return {
            "provider_id": pid,
            "day": day,
            "checked": True,  # plan_day refuses any plan the independent checker rejects
            "days": [
                {
                    "day": p.day.value,
                    "status": p.status,
                    "totals": asdict(p.totals),
                    "runs": [json.loads(r.model_dump_json()) for r in p.runs],
                    "unserved": [asdict(u) | {"day": u.day.value} for u in p.unserved],
                    "notes": p.notes,
                }
                for p in plans
            ],
        }

    def redraw_zones(payload: dict, ctx: JobContext) -> dict:
        """Redraw, store the result as the next draft version, return its numbers."""
        ctx.progress(0.05, "building blocks")
        blocks = council_blocks(payload["council"], payload["level"])
        limit = max(1.0, min(float(payload["time_limit"]), ctx.seconds_left() - 30))
        settings = RedrawSettings(
            k=payload["zones"], tolerance=payload["tolerance"], time_limit=limit, workers=2
        )
        ctx.progress(0.1, f"redrawing {blocks.n} blocks into {payload['zones']} zones")
        result = redraw(blocks, settings)
        name = payload["name"]
        zs = zone_set_from(blocks, result, name, f"{name} (redrawn)", payload["council"])
        zs = zs.model_copy(update={"lot": Lot(payload["lot"])})
        with state.sessions() as s:
            row = zonesets.add_draft(s, zs, None, note=f"redrawn by job {ctx.job_id}")
            s.commit()
            version = row.version
        return {
            "name": name,
            "version": version,
            "status": result.status,
            "gap": result.gap,
            "zone_demand": result.zone_demand,
            "mean_travel_minutes": result.mean_travel_s / 60,
            "notes": result.notes,
        }

    def report(payload: dict, ctx: JobContext) -> dict:
        """As-is against optimised for the period; the numbers and the HTML are stored."""
        scenario = state.ranker.scenario
        start, end = date.fromisoformat(payload["start"]), date.fromisoformat(payload["end"])

        def progress(done: int, total: int, what: str) -> None:
            ctx.progress(0.95 * done / total, f"optimised {what}")

        days = len({d for d in weekday_counts(start, end)})
        per_task = float(payload.get("time_limit", 2.0))
        n_tasks = days * len({p.provider_id for p in scenario.packages if p.provider_id})
        per_task = max(0.3, min(per_task, (ctx.seconds_left() - 30) / max(n_tasks, 1)))
        rep = build_report(scenario, start, end, per_task, progress)
        doc = rep.as_dict()
        with state.sessions() as s:
            s.merge(
                ReportRow(
                    id=ctx.job_id,
                    key_id=payload.get("_key_id", ""),
                    dataset_id=state.dataset_id,
                    start=payload["start"],
                    end=payload["end"],
                    doc=doc,
                    html=report_html(rep, scenario),
                )
            )
            s.commit()
        return doc | {"html_url": f"/v1/reports/{ctx.job_id}/html"}

    def what_if(payload: dict, ctx: JobContext) -> dict:
        scenario = state.ranker.scenario
        kind = payload["kind"]
        if kind == "mode":
            variant = wi.switch_mode(scenario, payload["share"], payload["to"], payload.get("zone"))
        elif kind == "zone_set":
            with state.sessions() as s:
                zs = zonesets.as_zone_set(
                    zonesets.get(s, payload["zone_set"], payload.get("version"))
                )
            variant = wi.use_zone_map(scenario, zs)
        else:
            variant = wi.recruit_local(scenario)
        days = list(WEEK) if payload["day"] == "week" else [Weekday(payload["day"])]

        def progress(done: int, total: int, what: str) -> None:
            ctx.progress(0.5 * done / total, f"planned {what}")

        return wi.compare(scenario, variant, days, float(payload["time_limit"]), progress).as_dict()

    def county_replan(payload: dict, ctx: JobContext) -> dict:
        """Every provider-day of the county on Dask (a local cluster unless
        CARERUN_DASK_SCHEDULER names one)."""
        from routing.analysis.county import replan

        days = list(WEEK) if payload["day"] == "week" else [Weekday(payload["day"])]

        def progress(done: int, total: int, what: str) -> None:
            ctx.progress(done / total, f"planned {what}")

        cp = replan(
            state.ranker.scenario,
            days,
            float(payload["time_limit"]),
            n_workers=int(payload.get("workers", 2)),
            on_progress=progress,
        )
        return {
            "days": [d.value for d in days],
            "scheduler": cp.scheduler,
            "workers": cp.workers,
            "seconds": round(cp.seconds, 1),
            "provider_days": len(cp.plans),
            "totals": asdict(cp.totals) | {"km_inside_zones": cp.totals.km_inside_zones},
            "across_zones_km": round(cp.mileage.total.across_zones_km, 3),
            "unplaced_hours_by_zone": cp.unplaced_hours_by_zone,
            "unplaced_reasons": cp.unplaced_reasons,
            "unplaced_reasons_by_zone": cp.unplaced_reasons_by_zone,
            "missing": [{"provider": a, "day": b, "reason": c} for a, b, c in cp.missing],
            "notes": cp.notes,
        }

    return {
        "replan": county_replan,
        "allocation": allocation,
        "runs": runs,
        "redraw": redraw_zones,
        "report": report,
        "whatif": what_if,
    }
