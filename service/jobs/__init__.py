"""Background jobs: the runner (stored, queued, recovered after a crash) and the job kinds,
each a ``JobKind`` spec owning its input model, its scope and its deadline rule."""

from service.jobs.allocation import ALLOCATION, AllocationCheckError, AllocationInput
from service.jobs.kinds import KINDS
from service.jobs.redraw import REDRAW, RedrawInput, RedrawOptions
from service.jobs.replan import REPLAN, ReplanInput
from service.jobs.report import REPORT, ReportInput
from service.jobs.runner import FINISHED, MAX_ATTEMPTS, JobRunner, Overloaded
from service.jobs.runs import RUNS, RunsInput, day_answer
from service.jobs.spec import (
    AwardDraft,
    Cancelled,
    DayOrWeek,
    Done,
    JobContext,
    JobKind,
    JobWorld,
    days_of,
)
from service.jobs.whatif import WHATIF, WhatIfInput

__all__ = [
    "ALLOCATION",
    "FINISHED",
    "KINDS",
    "MAX_ATTEMPTS",
    "REDRAW",
    "REPLAN",
    "REPORT",
    "RUNS",
    "WHATIF",
    "AllocationCheckError",
    "AllocationInput",
    "AwardDraft",
    "Cancelled",
    "DayOrWeek",
    "Done",
    "JobContext",
    "JobKind",
    "JobRunner",
    "JobWorld",
    "Overloaded",
    "RedrawInput",
    "RedrawOptions",
    "ReplanInput",
    "ReportInput",
    "RunsInput",
    "WhatIfInput",
    "day_answer",
    "days_of",
]
