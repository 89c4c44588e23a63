"""The service's settings, from the environment (CARERUN_*), with safe defaults."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _env(name: str, default, kind=str):
    raw = os.environ.get(f"CARERUN_{name}")
    if raw is None or raw == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"CARERUN_{name}: {raw!r} is not a valid {kind.__name__}") from None


@dataclass(frozen=True)
class Settings:
    """What the service needs to start; every field has a CARERUN_<NAME> variable.

    ``job_threads`` (CARERUN_JOB_THREADS) is how many job threads run jobs; the old name
    CARERUN_JOB_WORKERS is still read when CARERUN_JOB_THREADS is not set."""

    database_url: str | None = None  # None: SQLite under $CARERUN_HOME
    council: str = "cambridge"  # the embedded dataset loaded on first start
    seed_clients: int = 800
    seed: int = 1
    max_body_bytes: int = 5_000_000
    max_in_flight: int = 64  # concurrent requests before 503
    rank_concurrency: int = 2  # rankings computed at once (CPU-bound: about the cores)
    job_threads: int = 1  # job threads of the service's JobRunner
    max_queued_jobs: int = 50
    # one organisation's share (carerun defaults): jobs waiting or running, rankings a minute
    max_jobs_per_owner: int = 10
    rankings_per_minute_per_owner: int = 600
    job_time_limit_s: float = 900.0
    retry_after_s: int = 5
    # a start date further than this from today is a typo (0001-01-01, 9999-12-31): carerun
    # defaults, not a council's rule
    start_date_past_days: int = 5 * 365
    start_date_future_days: int = 2 * 365
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=_env("DATABASE_URL", None),
            council=_env("COUNCIL", "cambridge"),
            seed_clients=_env("SEED_CLIENTS", 800, int),
            seed=_env("SEED", 1, int),
            max_body_bytes=_env("MAX_BODY_BYTES", 5_000_000, int),
            max_in_flight=_env("MAX_IN_FLIGHT", 64, int),
            rank_concurrency=_env("RANK_CONCURRENCY", 2, int),
            job_threads=_env("JOB_THREADS", _env("JOB_WORKERS", 1, int), int),
            max_queued_jobs=_env("MAX_QUEUED_JOBS", 50, int),
            max_jobs_per_owner=_env("MAX_JOBS_PER_OWNER", 10, int),
            rankings_per_minute_per_owner=_env("RANKINGS_PER_MINUTE_PER_OWNER", 600, int),
            job_time_limit_s=_env("JOB_TIME_LIMIT_S", 900.0, float),
            start_date_past_days=_env("START_DATE_PAST_DAYS", 5 * 365, int),
            start_date_future_days=_env("START_DATE_FUTURE_DAYS", 2 * 365, int),
        )
