"""Why a visit part was not served: a stable code (``UnservedCode``) and a sentence a coordinator
understands; nothing is dropped silently, and summaries group by code, never by the words."""

from __future__ import annotations

from dataclasses import replace

from routing.runs.problem import (
    DayShift,
    RunsProblem,
    RunsSolution,
    Unserved,
    UnservedCode,
    VisitPart,
)


def _reachable(problem: RunsProblem, task: VisitPart, worker: DayShift) -> bool:
    """Could ``worker`` (a shift) go straight from its start, serve ``task`` (a visit part) in a
    window and get back?"""
    tr = problem.travel[worker.travel].time
    arrive = worker.earliest_start + int(tr[worker.start_location, task.location])
    for start, end in task.windows:
        s = max(arrive, start)
        if task.hard_window and s > end:
            continue
        back = s + task.duration + int(tr[task.location, worker.end_location])
        if back <= worker.latest_end:
            return True
    return False


def _needs(task: VisitPart) -> str:
    parts = [f"skill {s}" for s in sorted(task.skills)]
    if task.carer_gender:
        parts.append(f"a {task.carer_gender} carer")
    return " and ".join(parts) or "no special requirement"


def _nobody(problem: RunsProblem, i: int, task: VisitPart) -> Unserved:
    """Why no shift is eligible: the zone rule if it alone shuts them all out."""
    if task.zone is not None and problem.shifts:
        unzoned = [w for w in problem.shifts if problem.eligible(task, replace(w, zones=None))]
        if unzoned and all(w.zones is not None and task.zone not in w.zones for w in unzoned):
            return Unserved(
                i,
                f"outside the provider's zones: the client lives in zone {task.zone}, which "
                "this provider does not hold, and the council's policy does not allow visits "
                "outside a provider's zones",
                UnservedCode.OUTSIDE_ZONES,
            )
    return Unserved(i, f"no carer on shift has {_needs(task)}", UnservedCode.NO_ELIGIBLE_CARER)


def diagnose(problem: RunsProblem) -> dict[int, Unserved]:
    """Visit parts that no shift can ever serve, before any search: part index -> code and
    why."""
    out: dict[int, Unserved] = {}
    partners: dict[int, int] = {}
    for s in problem.syncs:
        partners[s.a], partners[s.b] = s.b, s.a
    for i, t in enumerate(problem.parts):
        eligible = [w for w in problem.shifts if problem.eligible(t, w)]
        if not eligible:
            out[i] = _nobody(problem, i, t)
            continue
        limits = [problem.work_limit.get(w.carer_id) for w in eligible]
        if all(lim is not None and lim < t.duration for lim in limits):
            out[i] = Unserved(
                i,
                "hours exhausted: every eligible carer has less time left than the visit",
                UnservedCode.HOURS_EXHAUSTED,
            )
            continue
        if not any(_reachable(problem, t, w) for w in eligible):
            out[i] = Unserved(
                i,
                "window unreachable: no eligible carer's shift can reach it in time",
                UnservedCode.WINDOW_UNREACHABLE,
            )
    for i, j in partners.items():
        if i in out and j not in out:
            out[j] = Unserved(
                j,
                f"synchronisation impossible: its partner cannot be served ({out[i].reason})",
                UnservedCode.PARTNER_UNSERVABLE,
            )
    for s in problem.syncs:
        if s.a in out or s.b in out:
            continue
        ta, tb = problem.parts[s.a], problem.parts[s.b]
        ca = {
            w.carer_id
            for w in problem.shifts
            if problem.eligible(ta, w) and _reachable(problem, ta, w)
        }
        cb = {
            w.carer_id
            for w in problem.shifts
            if problem.eligible(tb, w) and _reachable(problem, tb, w)
        }
        if len(ca | cb) < 2 or not ca or not cb:
            why = "synchronisation impossible: fewer than two eligible carers can attend together"
            out[s.a] = Unserved(s.a, why, UnservedCode.TOO_FEW_CARERS)
            out[s.b] = Unserved(s.b, why, UnservedCode.TOO_FEW_CARERS)
    return out


def explain_unserved(problem: RunsProblem, part: int, solution: RunsSolution) -> Unserved:
    """Why the search left a servable visit part (an index) out (its eligible carers' runs
    had no room)."""
    t = problem.parts[part]
    partner = next((s.b if s.a == part else s.a for s in problem.syncs if part in (s.a, s.b)), None)
    if partner is not None:
        return Unserved(
            part,
            "synchronisation: no two eligible carers were free together within the window "
            "(double-handed visit)",
            UnservedCode.NO_PAIR_FREE,
        )
    link = next((x for x in problem.links if part in (x.first, x.second)), None)
    if link is not None and any(
        u.part in (link.first, link.second) and u.part != part for u in solution.unserved
    ):
        return Unserved(
            part,
            "linked visit: the pair could not both be placed with the required gap "
            f"({link.min_gap // 60}-{link.max_gap // 60} min between starts)",
            UnservedCode.LINKED_GAP,
        )
    eligible = {w.carer_id for w in problem.shifts if problem.eligible(t, w)}
    limited = [c for c in eligible if c in problem.work_limit]
    if limited and len(limited) == len(eligible):
        return Unserved(
            part,
            "no room: every eligible carer's run was full at that time or their "
            "hours for the day/week would be exceeded",
            UnservedCode.NO_ROOM_OR_HOURS,
        )
    return Unserved(
        part,
        "no room: every eligible carer's run was full at that time of day",
        UnservedCode.NO_ROOM,
    )


KIND: dict[UnservedCode, str] = {  # how summaries group the codes (the words users see)
    UnservedCode.NO_CARER_ON_SHIFT: "no carer of the provider is on shift this day",
    UnservedCode.NO_ELIGIBLE_CARER: "no carer on shift has the skills or gender needed",
    UnservedCode.OUTSIDE_ZONES: "outside the provider's zones",
    UnservedCode.HOURS_EXHAUSTED: "hours exhausted",
    UnservedCode.WINDOW_UNREACHABLE: "window unreachable",
    UnservedCode.PARTNER_UNSERVABLE: "synchronisation impossible",
    UnservedCode.TOO_FEW_CARERS: "synchronisation impossible",
    UnservedCode.NO_PAIR_FREE: "synchronisation",
    UnservedCode.LINKED_GAP: "linked visit",
    UnservedCode.NO_ROOM_OR_HOURS: "no room",
    UnservedCode.NO_ROOM: "no room",
    UnservedCode.NOT_IN_GREEDY_PLAN: "not placed by the greedy plan",
    UnservedCode.NOT_IN_AS_IS_RUNS: "not placed by the greedy as-is runs",
    UnservedCode.NOT_IN_GIVEN_ROUTES: "not in the given routes",
    UnservedCode.NOT_SERVED: "not served",
    UnservedCode.UNSPECIFIED: "no reason code given",
}


def reason_kind(code: UnservedCode) -> str:
    """The kind of an unserved visit's reason, for summaries, from its code (never from the
    sentence): double-handed and no-room codes group under one kind each."""
    return KIND[UnservedCode(code)]
