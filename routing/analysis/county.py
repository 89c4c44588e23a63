"""County replan: every provider's runs for every day, as independent tasks on Dask.

Why Dask distributed (not Ray): it installs from PyPI as pure Python, a ``LocalCluster``
on one laptop and a cluster of many machines are driven by the same ``Client``, it ships a
large object to every worker once (``scatter(..., broadcast=True)``), reschedules the tasks
of a worker that dies, and retries a failed task; Ray would bring its own object store and
a much larger binary for no gain on this shape of work (hundreds of independent solves of a
few seconds each).

What is shipped once: the scenario and the council's road networks go to the cluster as two
small recomputable tasks (their bytes live in the task, so a worker that dies is no loss);
each worker fetches them once, not per task. Each provider-day's travel matrix (its own
clients and carers, a hundred points or so) is computed inside the task from the shipped
networks in milliseconds: shipping a county matrix instead (3,300 x 3,300 cells per mode
for Oxfordshire) would cost far more than it saves.

Each task plans one provider-day with ``plan_day`` (checked by the independent checker
inside the task), through the one provider-day planner (``routing.runs.provider_days``) with
``DaskExecutor`` as its executor. A task that still fails after its retries is listed as
missing with the reason: no provider's plan is silently missing from the totals.
"""

from __future__ import annotations

import os
import pickle
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, TypeVar

from geodata.network import Network
from geodata.notes import Note, code_of, gist_of
from routing.brokerage.zone_rules import run_settings_for
from routing.domain.model import Run, Scenario, Weekday
from routing.runs.build import RunSettings
from routing.runs.mileage import Mileage, mileage_of
from routing.runs.plan import UnservedVisit, plan_day
from routing.runs.provider_days import (
    Outcome,
    plan_provider_days,
    provider_days,
    providers_with_packages,
)
from routing.runs.reasons import reason_kind
from routing.runs.totals import Totals
from routing.runs.travel import council_networks

SCHEDULER_ENV = "CARERUN_DASK_SCHEDULER"
T = TypeVar("T")


class CountyNoteCode(StrEnum):
    """What a county plan's own note says (the plans' notes keep their own codes)."""

    MISSING = "provider_days_missing"  # some provider-days could not be planned


@dataclass
class ProviderDay:
    """One task's outcome: a provider's checked runs for a day."""

    provider_id: str
    day: Weekday
    status: str
    runs: list[Run]
    unserved: list[UnservedVisit]
    totals: Totals
    seconds: float  # wall time of the task on its Dask worker
    dask_worker: str = ""  # the Dask worker's name (or its process id)
    notes: list[str] = field(default_factory=list)


@dataclass
class CountyPlan:
    """Every provider-day planned (or listed as missing, with why) and the county totals."""

    plans: list[ProviderDay]
    missing: list[tuple[str, str, str]]  # (provider, day, reason)
    totals: Totals
    mileage: Mileage
    unserved_hours_by_zone: dict[str, float]  # care hours of unserved visits by zone
    unserved_reasons: dict[str, int]  # reason -> visit parts, county-wide
    unserved_reasons_by_zone: dict[str, dict[str, float]]  # zone -> kind of reason -> hours
    seconds: float
    dask_workers: int  # Dask workers of the cluster that planned it
    scheduler: str
    notes: list[str] = field(default_factory=list)
    scenario: str = ""  # the scenario's name
    days: list[Weekday] = field(default_factory=list)  # the days planned

    def as_dict(self) -> dict[str, Any]:
        """The county plan as one JSON-ready document (the CLI's ``--json`` file and the
        replan job's answer alike): where it ran, the county totals (``Totals.as_dict``:
        minutes, km, kg CO2e), km across zone boundaries, care hours of unserved visits by
        zone with why, the
        provider-days that could not be planned, notes, and each task's wall seconds."""
        return {
            "scenario": self.scenario,
            "days": [d.value for d in self.days],
            "scheduler": self.scheduler,
            "dask_workers": self.dask_workers,
            "seconds": round(self.seconds, 1),
            "provider_days": len(self.plans),
            "totals": self.totals.as_dict(),
            "across_zones_km": round(self.mileage.total.across_zones_km, 3),
            "unserved_hours_by_zone": self.unserved_hours_by_zone,
            "unserved_reasons": self.unserved_reasons,
            "unserved_reasons_by_zone": self.unserved_reasons_by_zone,
            "missing": [{"provider": p, "day": d, "reason": r} for p, d, r in self.missing],
            "notes": list(self.notes),
            "note_codes": [code_of(n) for n in self.notes],  # one per note, in order
            "task_seconds": [round(p.seconds, 2) for p in self.plans],
        }


def _plan_task(
    scenario: Scenario,
    networks: list[Network],
    time_limit: float,
    settings: RunSettings,
    provider_id: str,
    day: Weekday,
) -> ProviderDay:
    t0 = time.perf_counter()
    plan = plan_day(
        scenario,
        provider_id,
        day,
        settings,
        time_limit=time_limit,
        search_processes=1,
        networks=networks,
    )
    return ProviderDay(
        provider_id,
        plan.day,
        plan.status,
        plan.runs,
        plan.unserved,
        plan.totals,
        time.perf_counter() - t0,
        os.environ.get("DASK_WORKER_NAME", str(os.getpid())),
        plan.notes,
    )


def _load(text: str) -> Scenario:
    return Scenario.model_validate_json(text)


def _unpickle(blob: bytes) -> object:
    return pickle.loads(blob)


class DaskExecutor:
    """Provider-days as Dask tasks: ``shared`` shipped to the cluster once, each task retried
    ``retries`` times, a task that still fails an ``Outcome`` with its error (never dropped).

    The scenario goes as its JSON and everything else pickled, each inside a small
    recomputable task (not scattered data): each worker fetches them once, and if the worker
    holding one dies the scheduler rebuilds it from the task itself.
    """

    def __init__(self, client, retries: int = 2):
        self.client = client
        self.retries = retries

    def _ship(self, obj: object):
        if isinstance(obj, Scenario):
            return self.client.submit(_load, obj.model_dump_json(), pure=True)
        return self.client.submit(_unpickle, pickle.dumps(obj, protocol=5), pure=True)

    def run(
        self,
        plan_one: Callable[..., T],
        shared: tuple[Any, ...],
        tasks: Sequence[tuple[str, Weekday]],
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> list[Outcome[T]]:
        """Submit every task, collect them as they finish (``on_progress`` after each)."""
        from dask.distributed import as_completed

        shipped = [self._ship(x) for x in shared]
        futures = {}
        for k, (pid, day) in enumerate(tasks):
            f = self.client.submit(
                plan_one,
                *shipped,
                pid,
                day,
                retries=self.retries,
                pure=False,
                key=f"plan-{pid}-{day.value}-{time.time_ns()}",
            )
            futures[f] = k
        out: list[Outcome[T] | None] = [None] * len(tasks)
        for done, f in enumerate(as_completed(list(futures)), start=1):
            k = futures[f]
            pid, day = tasks[k]
            try:
                out[k] = Outcome(pid, day, f.result())
            except Exception as exc:  # after its retries: listed, never dropped
                out[k] = Outcome(pid, day, error=f"{type(exc).__name__}: {exc}")
            if on_progress is not None:
                on_progress(done, len(futures), f"{pid} {day.value}")
        return [o for o in out if o is not None]


def local_cluster(dask_workers: int = 2):
    """A Dask cluster on this machine: ``dask_workers`` single-threaded Dask worker processes
    (one per core asked)."""
    import dask
    from dask.distributed import LocalCluster

    # non-daemonic workers may start the run optimiser's own search processes, which keep
    # a native crash or hang of one search from taking the worker down
    dask.config.set({"distributed.worker.daemon": False})
    return LocalCluster(
        n_workers=dask_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",  # any free port: several clusters may run side by side
        silence_logs=40,
    )


def replan(
    scenario: Scenario,
    days: list[Weekday],
    time_limit: float = 2.0,
    scheduler: str | None = None,
    dask_workers: int = 2,
    retries: int = 2,
    settings: RunSettings | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
    client=None,
) -> CountyPlan:
    """Plan every provider with packages on each of ``days``.

    ``scheduler`` (or $CARERUN_DASK_SCHEDULER) is the address of an existing Dask cluster;
    without it a local cluster of ``dask_workers`` Dask worker processes is started and
    stopped here.
    ``client`` lets a caller (a test, a service) reuse its own client.
    """
    from dask.distributed import Client

    settings = run_settings_for(scenario.council, settings)
    address = scheduler or os.environ.get(SCHEDULER_ENV)
    own_cluster = None
    if client is None:
        if address:
            client = Client(address)
        else:
            own_cluster = local_cluster(dask_workers)
            client = Client(own_cluster)
    t0 = time.perf_counter()
    try:
        n_dask = len(client.scheduler_info()["workers"])
        # the networks this machine routes on (shipped or imported here), so every worker
        # routes on the same streets whether or not it has them on its own disk
        shared = (scenario, council_networks(scenario.council), time_limit, settings)
        tasks = provider_days(providers_with_packages(scenario), days, by="day")
        outcomes = plan_provider_days(
            _plan_task, shared, tasks, DaskExecutor(client, retries), on_progress
        )
    finally:
        if own_cluster is not None:
            client.close()
            own_cluster.close()
        elif address and client is not None:
            client.close()
    plans = [o.planned() for o in outcomes if o.error is None]
    missing = [(o.provider_id, o.day.value, o.error) for o in outcomes if o.error is not None]
    plans.sort(key=lambda p: (p.provider_id, list(Weekday).index(p.day)))
    return _county(scenario, plans, missing, days, time.perf_counter() - t0, n_dask, address)


def _county(scenario, plans, missing, days, seconds, dask_workers, address) -> CountyPlan:
    totals = Totals.combine([p.totals for p in plans])
    runs = [r for p in plans for r in p.runs]
    mileage = mileage_of(scenario, runs, {d: 1 for d in days})
    zone_name = {z.id: z.name for z in scenario.zones}
    zone_of = {p.id: zone_name.get(p.zone_id or "", "no zone") for p in scenario.packages}
    visits = {v.id: v for p in scenario.packages for v in p.visits}
    by_zone: dict[str, float] = defaultdict(float)
    why_by_zone: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    reasons: Counter[str] = Counter()
    for p in plans:
        for u in p.unserved:
            hours = visits[u.visit_id].duration / 3600
            by_zone[zone_of[u.package_id]] += hours
            why_by_zone[zone_of[u.package_id]][reason_kind(u.code)] += hours
            reasons[u.reason] += 1
    notes = list(mileage.notes)
    said: Counter[str] = Counter()  # what the plans say about travel, counts taken out
    code: dict[str, Any] = {}
    for p in plans:
        for n in p.notes:
            code.setdefault(gist_of(n), getattr(n, "code", None))
        said.update({gist_of(n) for n in p.notes})
    notes += [
        Note(f"{n} [{k} provider-day(s)]", code[n]) if code[n] else f"{n} [{k} provider-day(s)]"
        for n, k in said.items()
    ]
    if missing:
        notes.append(
            Note(
                f"{len(missing)} provider-day(s) could not be planned and are NOT in the totals: "
                + "; ".join(f"{p} {d}: {why}" for p, d, why in missing[:5]),
                CountyNoteCode.MISSING,
            )
        )
    return CountyPlan(
        plans,
        missing,
        totals,
        mileage,
        dict(sorted(by_zone.items())),
        dict(reasons.most_common()),
        {
            z: dict(sorted(why.items(), key=lambda kv: -kv[1]))
            for z, why in sorted(why_by_zone.items())
        },
        seconds,
        dask_workers,
        address or f"local cluster ({dask_workers} Dask workers)",
        notes,
        scenario.name,
        list(days),
    )
