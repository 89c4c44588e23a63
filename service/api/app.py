"""The FastAPI app: one scenario's ranker held in memory, routers per area, errors as 422."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from geodata.errors import GeodataError
from routing.errors import RoutingError
from routing.ranking import Ranker
from service.api import allocations, rankings
from zones.errors import ZoneError


def create_app(ranker: Ranker) -> FastAPI:
    """An app answering for ``ranker``'s scenario (its providers, zones and current runs)."""
    app = FastAPI(
        title="carerun",
        version="0.1.0",
        summary="Rank and allocate home-care packages to providers under council frameworks.",
        description=(
            "Rankings are deterministic: the same request gives the same answer, byte for "
            "byte, with the policy name and version. Travel is routed on OpenStreetMap roads "
            "where a network is loaded and marked as estimated elsewhere. "
            "© OpenStreetMap contributors (ODbL); contains ONS and OS data (OGL v3)."
        ),
    )
    app.state.ranker = ranker
    app.include_router(rankings.router)
    app.include_router(allocations.router)

    @app.exception_handler(RoutingError)
    @app.exception_handler(GeodataError)
    @app.exception_handler(ZoneError)
    async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
        # bad input the domain rejected: 422 with the field-naming message
        return JSONResponse(
            status_code=422, content={"detail": [{"msg": str(exc), "type": type(exc).__name__}]}
        )

    @app.get("/v1/health", tags=["service"])
    def health() -> dict:
        s = ranker.scenario
        return {
            "status": "ok",
            "council": s.council,
            "scenario": s.name,
            "providers": len(s.providers),
            "runs": len(s.runs),
        }

    return app
