"""The database tables: the dataset (providers, carers, packages, runs), zone set versions,
API keys, audited awards, jobs and idempotency records.

Domain objects are stored as their pydantic JSON (``doc``) with the columns queries need
beside it, so the domain model stays the one model and a row round-trips exactly.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def now() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite drops zones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class Base(DeclarativeBase):
    pass


class Dataset(Base):
    """One council's scenario: what is not in the row tables (zones, care homes, notes)."""

    __tablename__ = "datasets"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    meta: Mapped[dict] = mapped_column(JSON)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)


class ProviderRow(Base):
    __tablename__ = "providers"
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)  # order in the scenario
    doc: Mapped[dict] = mapped_column(JSON)


class CarerRow(Base):
    __tablename__ = "carers"
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider_id: Mapped[str] = mapped_column(String(64), index=True)
    seq: Mapped[int] = mapped_column(Integer)  # order in the scenario
    doc: Mapped[dict] = mapped_column(JSON)


class PackageRow(Base):
    __tablename__ = "packages"
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    provider_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    seq: Mapped[int] = mapped_column(Integer)  # order in the scenario
    doc: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)


class RunRow(Base):
    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    dataset_id: Mapped[int] = mapped_column(ForeignKey("datasets.id"), index=True)
    carer_id: Mapped[str] = mapped_column(String(64))
    day: Mapped[str] = mapped_column(String(3))
    doc: Mapped[dict] = mapped_column(JSON)


class ZoneSetVersion(Base):
    """One version of a zone set: draft, published (one at a time per name) or retired."""

    __tablename__ = "zone_set_versions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # draft | published | retired
    doc: Mapped[dict] = mapped_column(JSON)  # the ZoneSet
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class ApiKey(Base):
    """An API key: only its public prefix and a SHA-256 of the whole key are stored."""

    __tablename__ = "api_keys"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # the key's public prefix
    hash: Mapped[str] = mapped_column(String(64))
    scopes: Mapped[list] = mapped_column(JSON)
    label: Mapped[str] = mapped_column(String(200), default="")
    # the organisation the key belongs to: what its calls make, only it (and admins) see
    owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class Award(Base):
    """Every ranking and allocation issued: inputs, the exact answer, the policy version,
    who asked: enough to reproduce and defend it months later."""

    __tablename__ = "awards"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))  # ranking | care_home_ranking | allocation
    key_id: Mapped[str] = mapped_column(String(32), index=True)
    owner: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    dataset_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    package_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    policy: Mapped[str | None] = mapped_column(String(100), nullable=True)
    policy_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # the zone set in force for the package's lot when it was ranked (None: no zones)
    zone_set_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    zone_set_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    request: Mapped[dict] = mapped_column(JSON)
    response: Mapped[str] = mapped_column(Text)  # byte for byte what was sent
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)


class Job(Base):
    """Long work (runs, redraw, allocation): stored before it is accepted, never lost."""

    __tablename__ = "jobs"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), index=True)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(Text, default="")
    input: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    key_id: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    time_limit_s: Mapped[float] = mapped_column(Float)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    cancel_requested: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)


class IdempotencyRecord(Base):
    """The answer to a POST sent with an Idempotency-Key, replayed on a retry."""

    __tablename__ = "idempotency"
    key_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    idem_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    path: Mapped[str] = mapped_column(String(200))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int] = mapped_column(Integer, default=0)  # 0: still being answered
    body: Mapped[str] = mapped_column(Text, default="")
    # the id the answer carries (award or job), reserved when the key is claimed
    answer_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now)


class ReportRow(Base):
    """A mileage and carbon report a job made: its numbers and its self-contained HTML."""

    __tablename__ = "reports"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the job's id
    key_id: Mapped[str] = mapped_column(String(32))
    owner: Mapped[str | None] = mapped_column(String(100), nullable=True, index=True)
    dataset_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    start: Mapped[str] = mapped_column(String(10))
    end: Mapped[str] = mapped_column(String(10))
    doc: Mapped[dict] = mapped_column(JSON)
    html: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=now, index=True)
