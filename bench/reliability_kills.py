"""kill -9 of ``carerun serve`` mid-burst in reliability.py, and the Idempotency-Key check.

A burst of rankings, each with its own Idempotency-Key, at ``--concurrency``, and one
allocation job in flight; kill -9 after ``--kill-after`` answers; restart on the same home
and database. Every ranking answered 200 before the kill must be readable, the job must
finish, and every key so far must end answered exactly once (no 409 after ``--stuck-wait``
s, a replay with the same award or job id).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from reliability_checks import Answer, KeyRecord
from reliability_probe import AL, DONE, Probe, R
from reliability_server import BA


def burst_and_kill(probe: Probe, cycle: int) -> None:
    """Rankings with their own Idempotency-Keys at ``--concurrency``; kill -9 after
    ``--kill-after`` answers; restart; check awards, the job and every key so far."""
    records = [
        KeyRecord(
            f"rel-{cycle}-{i:03d}-{uuid.uuid4().hex[:6]}",
            R,
            json.dumps(probe.rank(f"KB{cycle}-{i:03d}")).encode(),
            "award",
        )
        for i in range(probe.args.burst)
    ]
    job = KeyRecord(
        f"rel-job-{cycle}-{uuid.uuid4().hex[:6]}",
        AL,
        json.dumps(probe.alloc(3, "cpsat", 5)).encode(),
        "job",
    )
    j = probe.request(f"POST {AL}", BA, content=job.body, headers={"Idempotency-Key": job.idem})
    job.answered = j.job_id() if j.status == 202 else None
    answered = 0
    count = threading.Lock()
    probe.killed.clear()

    def one(rec: KeyRecord) -> None:
        nonlocal answered
        if probe.killed.is_set():
            return
        headers = {"Idempotency-Key": rec.idem}
        ans = probe.request(
            f"POST {R}",
            BA,
            content=rec.body,
            headers=headers,
            what=f"burst {cycle}",
            during_kill=True,
        )
        if ans.status != 200:
            return
        with count:
            if probe.killed.is_set():
                return
            rec.answered = ans.award_id() or "(no award id)"
            answered += 1
            if answered >= probe.args.kill_after:
                probe.killed.set()
                probe.server.kill9()

    with ThreadPoolExecutor(probe.args.concurrency) as pool:
        list(pool.map(one, records))
    probe.killed.set()
    probe.server.kill9()
    probe.kills += 1
    before = sum(r.answered is not None for r in records)
    restart = probe.start(f"restart after kill -9 number {cycle}")
    probe.killed.clear()
    if restart is None:
        return
    probe.notes.append(
        f"kill {cycle}: {before} of {len(records)} rankings answered before kill -9; "
        f"restart took {restart:.1f} s"
    )
    for rec in records:
        if rec.answered and not rec.answered.startswith("("):
            ans = probe.request(f"GET /v1/awards/{rec.answered}", BA, show="/v1/awards/{id}")
            if ans.status != 200:
                probe.flag(
                    "lost",
                    "GET /v1/awards/{id}",
                    "a ranking answered 200 before the kill",
                    ans.label(),
                )
    if job.answered:
        d = probe.wait_job(job.answered, BA, probe.args.job_wait)
        if d.get("status") not in DONE:
            label = f"{d.get('status')!r} {probe.args.job_wait:g} s after the restart"
            probe.flag(
                "lost",
                "GET /v1/jobs/{id}",
                "an allocation job accepted 202 before the kill",
                label,
            )
    probe.key_records += [*records, job]
    check_keys(probe)


def retry(probe: Probe, rec: KeyRecord) -> Answer:
    headers = {"Idempotency-Key": rec.idem}
    return probe.request(
        f"POST {rec.path}", BA, content=rec.body, headers=headers, what="a retry after restart"
    )


def check_keys(probe: Probe) -> None:
    """Every key so far retried: no 409 after ``--stuck-wait`` s, the same id each time."""
    deadline = time.monotonic() + probe.args.stuck_wait
    pending, final = list(probe.key_records), {}
    while pending:
        again = []
        for rec in pending:
            ans = retry(probe, rec)
            if ans.status == 409 and time.monotonic() < deadline:
                again.append(rec)
            else:
                final[rec.idem] = ans
        pending = again
        if pending:
            time.sleep(0.5)

    def ident(rec: KeyRecord, ans: Answer) -> str | None:
        return (ans.award_id() if rec.kind == "award" else ans.job_id()) if ans.ok else None

    for rec in probe.key_records:
        ans, reason = final[rec.idem], ""
        got = ident(rec, ans)
        known = rec.answered is not None and not rec.answered.startswith("(")
        if ans.status == 409:
            reason = f"still 409 after {probe.args.stuck_wait:g} s"
        elif not ans.ok:
            reason = f"retry answered {ans.label()}"
        elif got is None:
            reason = (
                "a replay without an award id" if rec.answered else "answered without an award id"
            )
        elif known and got != rec.answered:
            reason = "a second award for one key"
        elif not known:
            rec.answered = got
            second = retry(probe, rec)
            if ident(rec, second) != got:
                reason = (
                    "the replay of a fresh answer without its award id"
                    if second.ok
                    else f"replay answered {second.label()}"
                )
        if reason and not rec.bad:
            rec.bad = reason
            probe.stuck_reasons[reason] = probe.stuck_reasons.get(reason, 0) + 1
            probe.flag(
                "stuck", f"POST {rec.path}", f"an Idempotency-Key retried ({rec.kind})", reason
            )
