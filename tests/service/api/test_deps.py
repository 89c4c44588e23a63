"""The typed request dependencies: a route that names ``StateDep``, ``SessionDep``,
``InForceDep`` and a scoped caller in its signature gets the app's own state, a session on
its database, the zone sets in force and the calling key, and 401 / 403 at the key header
without a valid key or outside its scope."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from service.api import state_of
from service.api.deps import (
    CallerDep,
    IdempotencyKey,
    InForceDep,
    PlannerCaller,
    SessionDep,
    StateDep,
)
from service.api.errors import install_error_handlers
from service.api.state import attach


def test_a_route_reads_the_typed_state_and_the_caller(service):
    app, _, keys = service
    state = state_of(app)
    probe = FastAPI()
    attach(probe, state)
    install_error_handlers(probe)

    @probe.get("/probe")
    def read(
        st: StateDep,
        session: SessionDep,
        in_force: InForceDep,
        caller: PlannerCaller,
        idem: IdempotencyKey = None,
    ) -> dict:
        return {
            "same_state": st is state,
            "one": session.execute(text("select 1")).scalar(),
            "zones": len(in_force.scenario.zones),
            "key": caller.key_id,
            "idem": idem,
        }

    @probe.get("/anyone")
    def anyone(caller: CallerDep) -> list[str]:
        return sorted(caller.scopes)

    client = TestClient(probe)
    planner = keys["planner"]
    got = client.get("/probe", headers={"X-API-Key": planner, "Idempotency-Key": "i-1"}).json()
    assert got == {
        "same_state": True,
        "one": 1,
        "zones": len(state.dataset.now().scenario.zones),
        "key": planner.split(".", 1)[0],
        "idem": "i-1",
    }
    assert client.get("/probe", headers={"X-API-Key": keys["admin"]}).status_code == 200
    refused = client.get("/probe", headers={"X-API-Key": keys["brokerage"]})
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["loc"] == ["header", "X-API-Key"]
    assert "planner" in refused.json()["errors"][0]["message"]
    nobody = client.get("/probe")
    assert nobody.status_code == 401 and nobody.headers["www-authenticate"] == "ApiKey"
    assert client.get("/anyone", headers={"X-API-Key": keys["brokerage"]}).json() == ["brokerage"]
