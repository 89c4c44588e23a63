"""Synchronised and linked visits are served whole or not at all: finding and repairing
routes that serve only half of such a pair."""

from __future__ import annotations

from routing.runs.problem import Route, RunsProblem


def half_served(problem: RunsProblem, served: set[int]) -> set[int]:
    """Tasks served while their sync or link partner is not (to be taken out)."""
    out = set()
    for a, b in [(x.a, x.b) for x in problem.syncs] + [(x.first, x.second) for x in problem.links]:
        if (a in served) != (b in served):
            out |= {a, b}
    return out


def repair_pairs(problem: RunsProblem, routes: list[Route]) -> tuple[list[Route], frozenset[int]]:
    """Take every half-served sync or link out whole, until none is left half served.

    Taking out one pair can orphan another (the linked medication call of a double-handed
    morning visit), hence the loop. Returns the routes and the tasks taken out.
    """
    out: frozenset[int] = frozenset()
    broken = half_served(problem, {t for r in routes for t in r.tasks})
    while broken:
        out |= broken
        routes = [r for r in (without(r, out) for r in routes) if r.tasks]
        broken = half_served(problem, {t for r in routes for t in r.tasks})
    return routes, out


def without(route: Route, tasks: frozenset[int]) -> Route:
    """``route`` with ``tasks`` taken out (times of the others unchanged, still feasible)."""
    keep = [(t, s) for t, s in zip(route.tasks, route.starts, strict=True) if t not in tasks]
    return Route(
        route.worker,
        tuple(t for t, _ in keep),
        tuple(s for _, s in keep),
        route.leave,
        route.back,
        route.breaks,
    )
