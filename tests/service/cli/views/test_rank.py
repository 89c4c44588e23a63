"""The ranking printer: the policy and zone, one row per offer in the ranking's order with
its figures, why the first is first, and who was left out, counted by code."""

from __future__ import annotations

from collections import Counter

from service.cli.views import print_ranking


def test_the_offer_order_figures_and_exclusions_are_the_rankings(small_ranker, shown):
    pkg = next(p for p in small_ranker.scenario.packages if p.provider_id is None)
    r = small_ranker.rank(pkg)
    assert r.ranked and r.excluded  # both parts of the printout have something to show
    text = shown(print_ranking, r, title="Offer 1")
    assert f"Offer 1: policy {r.policy} (version {r.policy_version})" in text
    assert f"zone {r.zone_name or '-'}, {r.weekly_hours or 0:.1f} h/week" in text
    rows = [
        [c.strip() for c in line.split("│")[1:-1]]
        for line in text.splitlines()
        if line.count("│") == 9
    ]
    assert [row[0] for row in rows] == [str(e.position) for e in r.ranked]
    for e, row in zip(r.ranked, rows, strict=True):
        assert row[1] == f"{e.name} ({e.provider_id})"
        assert row[3:6] == [
            f"{e.marginal_minutes:.0f}",
            f"{e.marginal_km:.1f}",
            f"{e.marginal_kg_co2e:.2f}",
        ]
    assert f"1st: {r.ranked[0].why}" in " ".join(text.split())
    counts = Counter(e.code for e in r.excluded)
    for code, n in counts.items():
        assert f"{n} {code.replace('_', ' ')}" in text


def test_nobody_to_offer_says_so(small_ranker, shown):
    pkg = next(p for p in small_ranker.scenario.packages if p.provider_id is None)
    r = small_ranker.rank(pkg).model_copy(update={"ranked": [], "excluded": []})
    text = shown(print_ranking, r)
    assert "no provider can be offered this package" in text and "left out" not in text
