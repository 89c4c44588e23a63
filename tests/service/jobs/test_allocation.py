"""The allocation job: every package placed or left waiting with why, the answer checked by
``check_allocation`` and stored as an award with the policies that ranked it; an allocation
the check rejects fails as an internal error (a bug), never as an answer."""

from __future__ import annotations

import json
import time

import pytest

from geodata.errors import InternalError
from service.jobs import ALLOCATION, AllocationCheckError, AllocationInput, JobContext, JobWorld
from service.served import ServedDataset


def _context() -> JobContext:
    return JobContext("job-1", "key-1", time.monotonic() + 120, lambda fraction, message: False)


@pytest.fixture
def given(small_scenario) -> AllocationInput:
    waiting = [p for p in small_scenario.packages if p.provider_id is None][:6]
    return AllocationInput(packages=waiting, method="greedy")


def test_every_package_placed_or_waiting_checked_and_awarded(given, small_ranker):
    world = JobWorld(sessions=None, dataset=ServedDataset(7, small_ranker))
    done = ALLOCATION.work(given, _context(), world)
    answer = done.result
    ids = {p["package_id"] for p in answer["placements"]} | {
        p["package_id"] for p in answer["waiting"]
    }
    assert ids == {p.id for p in given.packages}
    assert all(w["reason"] for w in answer["waiting"]) and answer["checked"] is True
    placed = sum(
        p.weekly_hours()
        for p in given.packages
        if p.id in {x["package_id"] for x in answer["placements"]}
    )
    assert answer["hours_placed"] == pytest.approx(placed, abs=0.01)
    assert answer["method"].startswith("greedy") and answer["policies"]
    award = done.award
    assert award.kind == "allocation" and award.dataset_id == 7
    assert json.loads(award.response) == answer
    assert award.request["packages"][0]["id"] == given.packages[0].id
    assert ALLOCATION.deadline_s(given, small_ranker.scenario) == given.time_limit + 120


def test_an_allocation_the_check_rejects_is_a_bug(given, small_ranker, monkeypatch):
    import service.jobs.allocation as job

    monkeypatch.setattr(job, "check_allocation", lambda *a: ["PKG-9: placed twice"])
    world = JobWorld(sessions=None, dataset=ServedDataset(7, small_ranker))
    with pytest.raises(AllocationCheckError, match="PKG-9: placed twice") as e:
        ALLOCATION.work(given, _context(), world)
    assert isinstance(e.value, InternalError)
