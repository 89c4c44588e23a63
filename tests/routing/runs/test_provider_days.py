"""The one provider-day planner: every task planned once, in task order, on any executor,
with progress; the as-is runs come out of it unchanged."""

from __future__ import annotations

import pytest

from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday
from routing.runs.provider_days import (
    InProcess,
    Outcome,
    plan_provider_days,
    provider_days,
    providers_with_packages,
)

MON, TUE = Weekday.MON, Weekday.TUE


def test_tasks_by_day_or_by_provider():
    assert provider_days(["A", "B"], ["mon", TUE]) == [
        ("A", MON),
        ("B", MON),
        ("A", TUE),
        ("B", TUE),
    ]
    assert provider_days(["A", "B"], [MON, TUE], by="provider") == [
        ("A", MON),
        ("A", TUE),
        ("B", MON),
        ("B", TUE),
    ]


def test_in_process_plans_each_task_once_in_order_with_the_shared_arguments():
    seen, progress = [], []

    def plan_one(prefix: str, pid: str, day: Weekday) -> str:
        seen.append((pid, day))
        return f"{prefix}{pid}-{day.value}"

    tasks = provider_days(["A", "B"], [MON, TUE])
    out = plan_provider_days(plan_one, ("x:",), tasks, on_progress=lambda *a: progress.append(a))
    assert seen == tasks
    assert out == [Outcome(p, d, f"x:{p}-{d.value}") for p, d in tasks]
    assert progress == [(k + 1, 4, f"{p} {d.value}") for k, (p, d) in enumerate(tasks)]


def test_in_process_lets_an_error_stop_the_planning():
    def plan_one(pid: str, day: Weekday) -> None:
        raise RuntimeError(f"{pid} broke")

    with pytest.raises(RuntimeError, match="A broke"):
        plan_provider_days(plan_one, (), [("A", MON)], InProcess())


def test_a_pluggable_executor_gets_the_work():
    class Recording:
        def run(self, plan_one, shared, tasks, on_progress=None):
            self.got = (shared, list(tasks))
            return [Outcome(p, d, error="not run") for p, d in tasks]

    ex = Recording()
    out = plan_provider_days(lambda *a: None, (1, 2), [("A", MON)], ex)
    assert ex.got == ((1, 2), [("A", MON)])
    assert out == [Outcome("A", MON, error="not run")]


def test_providers_with_packages_and_the_as_is_runs_built_through_the_planner():
    from routing.brokerage.zone_rules import zone_rules
    from routing.runs.as_is import as_is_runs

    sc = generate_scenario("cambridge", clients=60, seed=2)
    ids = providers_with_packages(sc)
    assert ids == sorted({p.provider_id for p in sc.packages if p.provider_id}) and ids
    runs = as_is_runs(sc, days=(MON, TUE), zone_rules=zone_rules(sc.council))
    assert runs and {r.day for r in runs} <= {MON, TUE}
    carers = {c.id: c.provider_id for c in sc.carers}
    keys = [(carers[r.carer_id], r.day) for r in runs]
    week = list(Weekday)
    assert keys == sorted(keys, key=lambda k: (ids.index(k[0]), week.index(k[1])))  # by provider
