"""One planner over provider-days: the as-is runs, the optimised runs and the county replan
all plan each (provider, day) on its own, so one loop serves them, with a pluggable executor.

``plan_provider_days(plan_one, shared, tasks, executor)`` calls ``plan_one(*shared, provider,
day)`` for every task and hands back one ``Outcome`` per task, in the order of ``tasks``.
``InProcess`` (the default) runs them one after another here and lets an error propagate;
the county replan passes a Dask executor (``routing.analysis.county.DaskExecutor``) that ships
``shared`` to the cluster once, retries a failed task and reports one that still fails as an
``Outcome`` with its ``error`` (listed, never dropped).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from geodata.errors import InternalError
from routing.domain.model import Scenario, Weekday

T = TypeVar("T")
Progress = Callable[[int, int, str], None]  # (done, total, "provider day") after each task


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """One provider-day's result, or why it has none (``error``, after any retries)."""

    provider_id: str
    day: Weekday
    result: T | None = None
    error: str | None = None

    def planned(self) -> T:
        """The result, for callers whose executor lets errors propagate (``InProcess``):
        an outcome without one there is a bug, raised as an ``InternalError``."""
        if self.result is None:
            raise InternalError(
                f"provider-day {self.provider_id} {self.day.value} has no plan: {self.error}"
            )
        return self.result


class Executor(Protocol):
    """Runs ``plan_one(*shared, provider, day)`` for each task; one outcome per task, in order."""

    def run(
        self,
        plan_one: Callable[..., T],
        shared: tuple[Any, ...],
        tasks: Sequence[tuple[str, Weekday]],
        on_progress: Progress | None = None,
    ) -> list[Outcome[T]]: ...


class InProcess:
    """One task after another in this process; an error stops the planning (it propagates)."""

    def run(
        self,
        plan_one: Callable[..., T],
        shared: tuple[Any, ...],
        tasks: Sequence[tuple[str, Weekday]],
        on_progress: Progress | None = None,
    ) -> list[Outcome[T]]:
        """Plan each task in turn, calling ``on_progress`` after each."""
        out = []
        for done, (pid, day) in enumerate(tasks, start=1):
            out.append(Outcome(pid, day, plan_one(*shared, pid, day)))
            if on_progress is not None:
                on_progress(done, len(tasks), f"{pid} {day.value}")
        return out


def providers_with_packages(scenario: Scenario) -> list[str]:
    """The providers that hold at least one package (the ones with runs to plan), sorted."""
    return sorted({p.provider_id for p in scenario.packages if p.provider_id})


def provider_days(
    providers: Iterable[str], days: Iterable[Weekday], by: str = "day"
) -> list[tuple[str, Weekday]]:
    """Every (provider, day): ``by="day"`` takes each day's providers in turn, ``by="provider"``
    each provider's days."""
    providers, days = list(providers), [Weekday(d) for d in days]
    if by == "provider":
        return [(p, d) for p in providers for d in days]
    return [(p, d) for d in days for p in providers]


def plan_provider_days(
    plan_one: Callable[..., T],
    shared: tuple[Any, ...],
    tasks: Sequence[tuple[str, Weekday]],
    executor: Executor | None = None,
    on_progress: Progress | None = None,
) -> list[Outcome[T]]:
    """Plan every provider-day of ``tasks`` with ``plan_one(*shared, provider, day)`` on
    ``executor`` (default: in this process); one ``Outcome`` per task, in task order."""
    return (executor or InProcess()).run(plan_one, shared, list(tasks), on_progress)
