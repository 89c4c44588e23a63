"""A short fixed-seed Solomon run gives the same routes as before the layout moved
(issue 13): the greedy construction, and an OR-Tools search cut by a solution count (not a
clock, so the work done is the same on any machine). Regenerate the stored copy only for a
deliberate change of the model or an OR-Tools upgrade, and say so in the commit."""

from __future__ import annotations

import json
from pathlib import Path

from routing.runs import GLS, build_model, greedy_schedule, search_parameters
from routing.runs.benchmarks import read_solomon

DATA = Path(__file__).resolve().parents[2] / "data"


def short_run() -> dict:
    problem = read_solomon(DATA / "benchmarks" / "solomon" / "C101.vrp").problem
    greedy = [list(r.parts) for r in greedy_schedule(problem)]
    built = build_model(problem)
    params = search_parameters(GLS, 60.0, 0)
    params.solution_limit = 200
    params.ClearField("time_limit")
    assignment = built.routing.SolveWithParameters(params)
    routes = []
    for v in range(built.routing.vehicles()):
        i, route = built.routing.Start(v), []
        while not built.routing.IsEnd(i):
            route.append(built.manager.IndexToNode(i))
            i = assignment.Value(built.routing.NextVar(i))
        routes.append(route)
    return {"greedy": greedy, "objective": assignment.ObjectiveValue(), "routes": routes}


def test_short_solomon_run_gives_the_stored_routes():
    stored = json.loads((DATA / "golden" / "solomon-c101-short.json").read_text())
    assert short_run() == stored
