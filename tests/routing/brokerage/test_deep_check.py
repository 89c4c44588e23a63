"""The deep check of a short list: re-planned runs with and without the package, checked."""

from __future__ import annotations

import pytest

from routing.brokerage.deep_check import deep_check
from routing.brokerage.ranker import Ranker
from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday
from tests.helpers import as_is


@pytest.fixture(scope="module")
def cam():
    s = as_is(generate_scenario("cambridge", clients=150, seed=11))
    return s, Ranker.build(s)


def _monday_only(pkg):
    visits = [v.model_copy(update={"days": [Weekday.MON]}) for v in pkg.visits]
    return pkg.model_copy(update={"visits": visits})


def test_deep_check_informs_but_never_reorders(cam):
    scenario, ranker = cam
    pkg = _monday_only(next(p for p in scenario.packages if p.provider_id is None))
    fast = ranker.rank(pkg)
    assert fast.ranked, "the test needs a package someone can take"
    deep = ranker.rank(pkg, deep=1, deep_time_limit=0.5)
    assert deep.provider_ids() == fast.provider_ids()
    assert fast.deep_checks == () and len(deep.deep_checks) == 1
    check = deep.deep_checks[0]
    assert check.provider_id == fast.ranked[0].provider_id
    assert [d.day for d in check.days] == ["mon"]  # only the days the package needs
    day = check.days[0]
    assert check.marginal_minutes == pytest.approx(day.minutes_with - day.minutes_without, abs=0.11)
    if check.feasible:
        assert check.reason == ""
    else:
        assert check.reason.startswith("mon")


def test_the_baseline_is_never_worse_than_the_plan_with_the_package_stripped(cam):
    # the "without" side takes the better of a fresh search and the with-plan minus the
    # package, so adding a package that every provider could take never saves travel
    scenario, ranker = cam
    feasible = []
    for pkg in [p for p in scenario.packages if p.provider_id is None][:4]:
        pkg = _monday_only(pkg)
        ranked = ranker.rank(pkg).ranked
        if ranked:
            r = deep_check(scenario, pkg, ranked[0].provider_id, time_limit=0.3)
            feasible += [r] if r.feasible else []
    assert feasible
    assert all(r.marginal_minutes >= -0.11 for r in feasible)


def test_unknown_provider_is_refused_with_a_reason(cam):
    scenario, _ = cam
    pkg = next(p for p in scenario.packages if p.provider_id is None)
    r = deep_check(scenario, pkg, "NOPE")
    assert not r.feasible and "not in the scenario" in r.reason
