"""The council dataset in the database: a Scenario split into rows and back, exactly."""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from routing.domain.model import Scenario
from service.store.tables import CarerRow, Dataset, PackageRow, ProviderRow, RunRow

_ROWS = ("providers", "carers", "packages", "runs")


def save_scenario(session: Session, scenario: Scenario) -> int:
    """Store ``scenario`` as the active dataset (the previous one is kept, inactive)."""
    doc = scenario.model_dump(mode="json")
    session.execute(update(Dataset).values(active=False))
    ds = Dataset(
        council=scenario.council,
        name=scenario.name,
        meta={k: v for k, v in doc.items() if k not in _ROWS},
        active=True,
    )
    session.add(ds)
    session.flush()
    session.add_all(
        ProviderRow(dataset_id=ds.id, id=p["id"], seq=i, doc=p)
        for i, p in enumerate(doc["providers"])
    )
    session.add_all(
        CarerRow(dataset_id=ds.id, id=c["id"], provider_id=c["provider_id"], seq=i, doc=c)
        for i, c in enumerate(doc["carers"])
    )
    session.add_all(
        PackageRow(dataset_id=ds.id, id=p["id"], provider_id=p.get("provider_id"), seq=i, doc=p)
        for i, p in enumerate(doc["packages"])
    )
    session.add_all(
        RunRow(dataset_id=ds.id, carer_id=r["carer_id"], day=r["day"], doc=r) for r in doc["runs"]
    )
    session.commit()
    return ds.id


def active_dataset(session: Session) -> Dataset | None:
    return session.scalars(
        select(Dataset).where(Dataset.active.is_(True)).order_by(Dataset.id.desc())
    ).first()


def load_scenario(session: Session, dataset_id: int | None = None) -> Scenario:
    """The stored scenario (the active one by default), validated like any other."""
    ds = session.get(Dataset, dataset_id) if dataset_id is not None else active_dataset(session)
    if ds is None:
        raise LookupError("no dataset stored yet")

    def docs(table, order):
        return [
            r.doc
            for r in session.scalars(
                select(table).where(table.dataset_id == ds.id).order_by(*order)
            )
        ]

    return Scenario.model_validate(
        ds.meta
        | {
            "providers": docs(ProviderRow, [ProviderRow.seq]),
            "carers": docs(CarerRow, [CarerRow.seq]),
            "packages": docs(PackageRow, [PackageRow.seq]),
            "runs": docs(RunRow, [RunRow.id]),
        }
    )


def drop_dataset(session: Session, dataset_id: int) -> None:
    for table in (RunRow, PackageRow, CarerRow, ProviderRow):
        session.execute(delete(table).where(table.dataset_id == dataset_id))
    session.execute(delete(Dataset).where(Dataset.id == dataset_id))
    session.commit()
