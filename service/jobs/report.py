"""The report job: as-is against optimised runs for a period on the served dataset (its
zones in force); the numbers and the HTML page are stored under the job's id."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field, model_validator

from routing.analysis.report import build_report
from routing.domain.model import Float, Scenario
from routing.runs.mileage import weekday_counts
from service.jobs.spec import Done, JobContext, JobKind, JobWorld
from service.render.html import report_html
from service.store.tables import ReportRow


class ReportInput(BaseModel):
    """The period (runs repeat weekly) and the search time per provider-day."""

    start: date
    end: date
    time_limit: Float = Field(2.0, gt=0, le=30)

    @model_validator(mode="after")
    def _ordered(self) -> ReportInput:
        if self.end < self.start:
            raise ValueError(f"end: {self.end} is before start {self.start}")
        if (self.end - self.start).days > 366:
            raise ValueError("end: a report covers at most a year")
        return self


def deadline_s(_: ReportInput, __: Scenario) -> float:
    """Fifteen minutes: the work shares them out per provider-day (``work``)."""
    return 900


def work(given: ReportInput, ctx: JobContext, world: JobWorld) -> Done:
    """Plan the period's provider-days within the deadline, store the report and its page."""
    scenario = world.dataset.now().scenario

    def progress(done: int, total: int, what: str) -> None:
        ctx.progress(0.95 * done / total, f"optimised {what}")

    days = len(set(weekday_counts(given.start, given.end)))
    n_tasks = days * len({p.provider_id for p in scenario.packages if p.provider_id})
    per_task = max(0.3, min(given.time_limit, (ctx.seconds_left() - 30) / max(n_tasks, 1)))
    rep = build_report(scenario, given.start, given.end, per_task, progress)
    doc = rep.as_dict()
    with world.sessions() as s:
        s.merge(
            ReportRow(
                id=ctx.job_id,
                key_id=ctx.key_id,
                owner=ctx.owner or ctx.key_id,
                dataset_id=world.dataset.id,
                start=given.start.isoformat(),
                end=given.end.isoformat(),
                doc=doc,
                html=report_html(rep, scenario),
            )
        )
        s.commit()
    return Done(doc | {"html_url": f"/v1/reports/{ctx.job_id}/html"})


REPORT = JobKind("report", "sustainability", ReportInput, deadline_s, work)
