"""The runs job: one provider's runs for a day or the week on the served dataset (its zones
in force), each day checked; the answer is the plan's own ``as_dict()``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import Float, Scenario, Weekday
from routing.runs.plan import DayPlan, plan_day, plan_week
from service.jobs.spec import DayOrWeek, Done, JobContext, JobKind, JobWorld, days_of


class RunsInput(BaseModel):
    """Whose runs, which day (or the whole week), and the search time per day."""

    provider_id: str = Field(min_length=1, max_length=64)
    day: DayOrWeek = "mon"
    time_limit: Float = Field(10.0, gt=0, le=120, description="seconds of search per day")


def deadline_s(given: RunsInput, _: Scenario) -> float:
    """One and a half times the search time of every day, plus a minute."""
    return len(days_of(given.day)) * given.time_limit * 1.5 + 60


def day_answer(plan: DayPlan) -> dict[str, Any]:
    """A runs job's answer for one day, shaped as a week's (``WeekPlan.as_dict()``): the
    day plan's own document under ``days``, its ``checked`` repeated at the top."""
    return {
        "provider_id": plan.provider_id,
        "day": plan.day.value,
        "checked": plan.checked,
        "days": [plan.as_dict()],
    }


def work(given: RunsInput, ctx: JobContext, world: JobWorld) -> Done:
    """Plan the day (or the week, sharing the job's time across the seven days)."""
    scenario = world.dataset.now().scenario
    settings = run_settings_for(scenario.council)
    pid, per_day = given.provider_id, given.time_limit
    if given.day == "week":
        per_day = max(0.5, min(per_day, (ctx.seconds_left() - 10) / 7))
        done: list[DayPlan] = []

        def step(plan: DayPlan) -> None:
            done.append(plan)
            ctx.progress(len(done) / 7, f"{plan.day.value} planned")

        week = plan_week(scenario, pid, settings, time_limit_per_day=per_day, on_day=step)
        return Done(week.as_dict())
    plan = plan_day(scenario, pid, Weekday(given.day), settings, time_limit=per_day)
    return Done(day_answer(plan))


RUNS = JobKind("runs", "planner", RunsInput, deadline_s, work)
