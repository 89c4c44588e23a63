"""What a job kind is: its name, the scope that may see its jobs, the model of its stored
input, the rule for its deadline, and the function that does the work.

A kind's work is a pure function of its stored input and the served dataset (so a job can
be run again after a crash). It reports progress through its ``JobContext``, which also
says how many seconds are left and raises ``Cancelled`` when the job was cancelled; it
returns ``Done``: the result to store and, for allocations, the award stored with it in
the same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from routing.domain.model import WEEK, Scenario, Weekday
from service.served import ServedDataset

DayOrWeek = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "week"]

Input = TypeVar("Input", bound=BaseModel)


def days_of(day: DayOrWeek) -> list[Weekday]:
    """The weekdays ``day`` names: all seven for ``week``, else that one."""
    return list(WEEK) if day == "week" else [Weekday(day)]


class Cancelled(Exception):
    """Raised inside a job's work when its job was cancelled."""


@dataclass
class JobContext:
    """What a job's work may use: its id and owner, its deadline, progress and cancelling."""

    job_id: str
    key_id: str  # the API key that submitted the job
    deadline: float  # time.monotonic() by which the job must be done
    on_progress: Callable[[float, str], bool]  # records progress; True: cancel requested
    owner: str = ""  # the submitting key's organisation ("": the key itself)

    def seconds_left(self) -> float:
        """Seconds until the deadline (0 once it has passed)."""
        return max(0.0, self.deadline - time.monotonic())

    def progress(self, fraction: float, message: str = "") -> None:
        """Record progress (0-1); raises Cancelled if the job was cancelled meanwhile."""
        if self.on_progress(max(0.0, min(1.0, fraction)), message):
            raise Cancelled()


@dataclass(frozen=True)
class JobWorld:
    """What every job's work reads: the database and the served dataset (zones in force)."""

    sessions: sessionmaker[Session]
    dataset: ServedDataset


@dataclass(frozen=True)
class AwardDraft:
    """An award to store with a job's result (its id is the job's, its key the job's key)."""

    kind: str
    dataset_id: int
    policy: str
    policy_version: str
    request: dict[str, Any]
    response: str  # the answer, as JSON text


@dataclass(frozen=True)
class Done:
    """A job's result (JSON-ready) and the award to store with it, if any."""

    result: dict[str, Any]
    award: AwardDraft | None = None


@dataclass(frozen=True)
class JobKind(Generic[Input]):
    """One kind of job: everything the runner and the API need to know about it."""

    name: str  # stored in Job.kind
    scope: str  # keys with this scope may see every job of the kind (owners see their own)
    input: type[Input]  # the stored input, validated on submit and again on run
    deadline_s: Callable[[Input, Scenario], float]  # seconds the job may take, given its input
    work: Callable[[Input, JobContext, JobWorld], Done]
