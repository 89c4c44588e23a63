"""The job kinds: one spec per kind, each owning its scope and its deadline rule (the same
numbers the routes used to compute)."""

from __future__ import annotations

from datetime import date

import pytest

from service.auth import SCOPES
from service.jobs import (
    KINDS,
    AllocationInput,
    RedrawInput,
    ReplanInput,
    ReportInput,
    RunsInput,
    WhatIfInput,
)
from zones.model import Lot


def test_every_kind_is_registered_under_its_name_with_a_known_scope():
    assert set(KINDS) == {"allocation", "runs", "redraw", "report", "whatif", "replan"}
    assert all(name == kind.name and kind.scope in SCOPES for name, kind in KINDS.items())


@pytest.mark.parametrize(
    ("kind", "given", "seconds"),
    [
        ("runs", RunsInput(provider_id="P", day="tue", time_limit=4), 4 * 1.5 + 60),
        ("runs", RunsInput(provider_id="P", day="week", time_limit=4), 7 * 4 * 1.5 + 60),
        ("allocation", AllocationInput.model_construct(time_limit=30.0), 150),
        (
            "redraw",
            RedrawInput(zones=4, time_limit=10, name="n", council="c", lot=Lot.HOME_CARE),
            150,
        ),
        ("report", ReportInput(start=date(2026, 1, 5), end=date(2026, 1, 5)), 900),
        ("whatif", WhatIfInput(kind="mode", day="mon", time_limit=2), None),
        ("replan", ReplanInput(day="week", time_limit=2), None),
    ],
)
def test_each_kind_owns_its_deadline(kind, given, seconds, small_scenario):
    providers = len({p.provider_id for p in small_scenario.packages})
    if seconds is None:  # per provider-day: baseline and variant, or each provider's week
        seconds = {"whatif": 2 * providers * 2 * 1.5 + 120, "replan": 7 * providers * 2 * 2 + 300}[
            kind
        ]
    assert KINDS[kind].deadline_s(given, small_scenario) == pytest.approx(seconds)
