"""Every job kind the service runs, by name (see ``service.jobs.spec`` for what a kind is)."""

from __future__ import annotations

from typing import Any

from service.jobs.allocation import ALLOCATION
from service.jobs.redraw import REDRAW
from service.jobs.replan import REPLAN
from service.jobs.report import REPORT
from service.jobs.runs import RUNS
from service.jobs.spec import JobKind
from service.jobs.whatif import WHATIF

KINDS: dict[str, JobKind[Any]] = {
    k.name: k for k in (ALLOCATION, RUNS, REDRAW, REPORT, WHATIF, REPLAN)
}
