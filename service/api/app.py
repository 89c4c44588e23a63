"""The FastAPI app: the stored dataset's ranker, the job runner, routers per area, limits."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from routing.brokerage.ranker import Ranker
from service import idempotency
from service.api import (
    allocations,
    awards,
    jobs,
    keys,
    packages,
    planner,
    rankings,
    reports,
    runs,
    zonesets,
)
from service.api.access_log import AccessLog
from service.api.errors import document_errors, install_error_handlers
from service.api.json_body import StrictJson
from service.api.limits import Limits
from service.api.rates import PerOwnerRate
from service.api.state import AppState, attach, state_of
from service.jobs import KINDS, JobRunner, JobWorld
from service.served import ServedDataset
from service.settings import Settings
from service.store.dataset import active_dataset, load_scenario, save_scenario
from service.store.engine import make_engine, migrate, sessions

log = logging.getLogger("carerun.service")


def seed_scenario(settings: Settings):
    """The embedded dataset for a first start: the council's seeded scenario and runs."""
    from routing.brokerage.zone_rules import zone_rules
    from routing.domain.generate import generate_scenario
    from routing.runs.as_is import with_as_is_runs

    scenario = generate_scenario(
        settings.council, clients=settings.seed_clients, seed=settings.seed
    )
    return with_as_is_runs(scenario, zone_rules=zone_rules(scenario.council))


def create_app(settings: Settings | None = None, ranker: Ranker | None = None) -> FastAPI:
    """The service on ``settings.database_url`` (migrated to the newest schema).

    The first start stores ``ranker``'s scenario, or else the council's embedded dataset;
    later starts load the stored one. Unfinished jobs are resumed or failed on start.
    """
    settings = settings or Settings.from_env()
    engine = make_engine(settings.database_url)
    migrate(engine)
    session_factory = sessions(engine)
    dropped, answered = idempotency.recover(session_factory)
    if dropped or answered:
        log.info(
            "idempotency: %d unanswered claim(s) of a stopped process dropped, %d answered "
            "by their stored job",
            dropped,
            answered,
        )
    with session_factory() as s:
        ds = active_dataset(s)
        given = ranker.scenario if ranker is not None else None
        if ds is None or (
            given is not None and (ds.council, ds.name) != (given.council, given.name)
        ):
            scenario = given if given is not None else seed_scenario(settings)
            dataset_id = save_scenario(s, scenario)
        else:
            dataset_id = ds.id
            if ranker is None:
                ranker = Ranker.build(load_scenario(s, dataset_id))
    if ranker is None:
        ranker = Ranker.build(scenario)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        state_of(app).runner.start()
        yield
        state_of(app).runner.stop()

    app = FastAPIOffline(  # /docs from the package's own copy of Swagger UI, no CDN
        title="carerun",
        version="0.2.0",
        summary="Rank and allocate home-care packages to providers under council frameworks.",
        description=(
            "Every call needs an API key (`X-API-Key`) with the right scope: brokerage "
            "(rankings, allocations), planner (runs, zones), sustainability (reports), admin. "
            "Rankings are deterministic: the same request gives the same answer, byte for "
            "byte but for its `award_id`, with the policy, dataset and zone-set versions it "
            "used, and every answer is stored as an award (`X-Award-Id`). "
            "Long work runs as jobs (202, then `GET /v1/jobs/{id}`). POSTs accept an "
            "`Idempotency-Key`. Travel is routed on OpenStreetMap roads where a network is "
            "loaded and marked as estimated elsewhere. "
            "© OpenStreetMap contributors (ODbL); contains ONS and OS data (OGL v3)."
        ),
        lifespan=lifespan,
        swagger_ui_parameters={"validatorUrl": None},  # no call to an online validator
    )
    dataset = ServedDataset(dataset_id, ranker)
    state = AppState(
        settings=settings,
        engine=engine,
        sessions=session_factory,
        dataset=dataset,
        cpu=threading.BoundedSemaphore(settings.rank_concurrency),
        runner=JobRunner(
            session_factory,
            KINDS,
            JobWorld(session_factory, dataset),
            threads=settings.job_threads,
            max_queued=settings.max_queued_jobs,
            max_queued_per_owner=settings.max_jobs_per_owner,
            time_limit_s=settings.job_time_limit_s,
        ),
        rankings_rate=PerOwnerRate(settings.rankings_per_minute_per_owner),
    )
    attach(app, state)
    zonesets.seed_zone_sets(state)
    for module in (
        rankings,
        allocations,
        packages,
        runs,
        jobs,
        awards,
        keys,
        zonesets,
        reports,
        planner,
    ):
        app.include_router(module.router)

    install_error_handlers(app)
    document_errors(app)

    @app.get("/v1/health", tags=["service"])
    def health() -> dict:
        s = dataset.now().scenario
        return {
            "status": "ok",
            "council": s.council,
            "scenario": s.name,
            "dataset_id": dataset.id,
            "providers": len(s.providers),
            "runs": len(s.runs),
        }

    app.add_middleware(StrictJson)  # inside Limits, which bounds what it reads
    app.add_middleware(
        Limits,
        max_body_bytes=settings.max_body_bytes,
        max_in_flight=settings.max_in_flight,
        retry_after_s=settings.retry_after_s,
    )
    app.add_middleware(AccessLog)  # outermost: every answer is logged, 413 and 503 too
    return app
