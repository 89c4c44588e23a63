"""Synchronised and linked visits are served whole or not at all: finding and repairing
runs that serve only half of such a pair."""

from __future__ import annotations

from routing.runs.problem import RunsProblem, SolverRun


def half_served(problem: RunsProblem, served: set[int]) -> set[int]:
    """Visit parts served while their sync or link partner is not (to be taken out)."""
    out = set()
    for a, b in [(x.a, x.b) for x in problem.syncs] + [(x.first, x.second) for x in problem.links]:
        if (a in served) != (b in served):
            out |= {a, b}
    return out


def repair_pairs(
    problem: RunsProblem, runs: list[SolverRun]
) -> tuple[list[SolverRun], frozenset[int]]:
    """Take every half-served sync or link out whole, until none is left half served.

    Taking out one pair can orphan another (the linked medication call of a double-handed
    morning visit), hence the loop. Returns the runs and the visit parts taken out.
    """
    out: frozenset[int] = frozenset()
    broken = half_served(problem, {t for r in runs for t in r.parts})
    while broken:
        out |= broken
        runs = [r for r in (without(r, out) for r in runs) if r.parts]
        broken = half_served(problem, {t for r in runs for t in r.parts})
    return runs, out


def without(run: SolverRun, parts: frozenset[int]) -> SolverRun:
    """``run`` with ``parts`` taken out (times of the others unchanged, still feasible)."""
    keep = [(t, s) for t, s in zip(run.parts, run.starts, strict=True) if t not in parts]
    return SolverRun(
        run.shift,
        tuple(t for t, _ in keep),
        tuple(s for _, s in keep),
        run.leave,
        run.back,
        run.breaks,
    )
