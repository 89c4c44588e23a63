"""carerun's optimised runs for every provider-day: every provider with packages planned on
each day asked, every visit part served or listed with its reason, progress reported."""

from __future__ import annotations

from routing.analysis.optimised import optimised_runs
from routing.domain.generate import generate_scenario
from routing.domain.model import Weekday

MON = Weekday.MON


def test_every_provider_day_is_planned_and_no_visit_is_dropped_silently():
    sc = generate_scenario("cambridge", clients=15, seed=8)
    seen: list[tuple[int, int, str]] = []
    out = optimised_runs(
        sc, [MON], time_limit=0.1, search_processes=1, on_progress=lambda *a: seen.append(a)
    )
    providers = sorted({p.provider_id for p in sc.packages if p.provider_id})
    assert [what for _, _, what in seen] == [f"{pid} mon" for pid in providers]
    assert [done for done, _, _ in seen] == list(range(1, len(providers) + 1))
    assert sum(out.statuses.values()) == len(providers)
    expected = {
        (v.id, part)
        for p in sc.packages
        if p.provider_id
        for v in p.visits
        if MON in v.days
        for part in range(v.carers)
    }
    served = [(s.visit_id, s.part) for r in out.runs for s in r.stops]
    left = [(u.visit_id, u.part) for u in out.unserved]
    assert len(served) + len(left) == len(expected)
    assert set(served) | set(left) == expected and not set(served) & set(left)
    assert all(u.reason for u in out.unserved)
    assert all(r.day == MON for r in out.runs) and out.runs
