"""Small run problems worked out by hand: places on a line, travel time in seconds equal
to the distance in metres (1 m/s), so each expected answer can be read off the coordinates."""

from __future__ import annotations

import numpy as np

from routing.runs.problem import DayShift, Travel, VisitPart

H = 3600  # seconds in an hour
MIN = 60  # seconds in a minute


def line_travel(xs: list[float], speed: float = 1.0) -> Travel:
    """Travel between places at positions ``xs`` (metres) at ``speed`` m/s (seconds, metres)."""
    x = np.array(xs, float)
    d = np.abs(x[:, None] - x[None, :])
    return Travel(time=np.ceil(d / speed).astype(np.int64), distance=np.rint(d).astype(np.int64))


def line_worker(i: int, home: int = 0, **kw) -> DayShift:
    """Carer ``C<i>``'s shift 07:00-22:00 by car from and back to place ``home``."""
    base = dict(
        id=f"W{i}",
        carer_id=f"C{i}",
        start_location=home,
        end_location=home,
        earliest_start=7 * H,
        latest_end=22 * H,
        travel="car",
        skills=frozenset({"personal_care"}),
    )
    return DayShift(**(base | kw))


def line_task(i: int, loc: int, window: tuple[int, int] = (8 * H, 10 * H), **kw) -> VisitPart:
    """A 30-minute personal-care visit ``V<i>`` at place ``loc`` starting within ``window``."""
    base = dict(
        id=f"T{i}",
        visit_id=f"V{i}",
        location=loc,
        duration=30 * MIN,
        windows=(window,),
        skills=frozenset({"personal_care"}),
    )
    return VisitPart(**(base | kw))
