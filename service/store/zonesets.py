"""Zone set versions: drafts, one published version per name, history kept, roll back.

A name or version that is not stored raises ``ZoneSetNotFound`` (not found: the API's 404);
a roll back with nothing earlier to go back to raises ``NothingToRollBack`` (a conflict with
the stored history: 409).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from geodata.errors import Conflict, NotFound
from service.store.tables import ZoneSetVersion, now
from zones.model import ZoneSet


class ZoneSetNotFound(NotFound, LookupError):
    """No stored zone set of that name, or no such version of it (still a LookupError)."""

    code = "zone_set_not_found"


class NothingToRollBack(Conflict):
    """A roll back of a zone set that has no earlier published version to go back to."""

    code = "nothing_to_roll_back"


def versions(session: Session, name: str) -> list[ZoneSetVersion]:
    return list(
        session.scalars(
            select(ZoneSetVersion)
            .where(ZoneSetVersion.name == name)
            .order_by(ZoneSetVersion.version)
        )
    )


def names(session: Session) -> list[str]:
    return list(
        session.scalars(select(ZoneSetVersion.name).distinct().order_by(ZoneSetVersion.name))
    )


def get(session: Session, name: str, version: int | None = None) -> ZoneSetVersion:
    """The given version, else the published one, else the newest draft."""
    rows = versions(session, name)
    if not rows:
        raise ZoneSetNotFound(f"zone set {name!r}: not found")
    if version is not None:
        row = next((r for r in rows if r.version == version), None)
        if row is None:
            raise ZoneSetNotFound(f"zone set {name!r}: no version {version}")
        return row
    return next((r for r in rows if r.status == "published"), rows[-1])


def add_draft(session: Session, zs: ZoneSet, key_id: str | None, note: str = "") -> ZoneSetVersion:
    """Store ``zs`` as the next draft version of its name (``zs.id``)."""
    top = session.scalar(
        select(func.max(ZoneSetVersion.version)).where(ZoneSetVersion.name == zs.id)
    )
    version = (top or 0) + 1
    doc = zs.model_copy(update={"version": version, "status": "draft"}).model_dump(mode="json")
    row = ZoneSetVersion(
        name=zs.id, version=version, status="draft", doc=doc, key_id=key_id, note=note
    )
    session.add(row)
    session.flush()
    return row


def publish(session: Session, name: str, version: int) -> ZoneSetVersion:
    """Make ``version`` the published one; the previously published becomes retired."""
    row = get(session, name, version)
    for other in versions(session, name):
        if other.status == "published" and other.version != version:
            other.status = "retired"
    row.status, row.published_at = "published", now()
    row.doc = row.doc | {"status": "published"}
    session.flush()
    return row


def rollback(session: Session, name: str) -> ZoneSetVersion:
    """Publish again the version that was published before the current one."""
    rows = versions(session, name)
    current = next((r for r in rows if r.status == "published"), None)
    if current is None:
        raise NothingToRollBack(f"zone set {name!r}: nothing is published, nothing to roll back")
    since = current.published_at
    assert since is not None  # publish() sets the status and published_at together
    earlier = [
        (r.published_at, r)
        for r in rows
        if r.published_at is not None and r.version != current.version and r.published_at <= since
    ]
    if not earlier:
        raise NothingToRollBack(f"zone set {name!r}: no earlier published version")
    _, back = max(earlier, key=lambda e: e[0])
    return publish(session, name, back.version)


def as_zone_set(row: ZoneSetVersion) -> ZoneSet:
    return ZoneSet.model_validate(row.doc)
