"""Waiting for a service job in tests (import as ``from tests.helpers.jobs import wait_for``)."""

from __future__ import annotations

import time


def wait_for(client, job_id: str, headers: dict | None = None, seconds: float = 90) -> dict:
    """Poll ``GET /v1/jobs/{job_id}`` until the job has finished; its view."""
    deadline = time.monotonic() + seconds
    view: dict = {}
    while time.monotonic() < deadline:
        view = client.get(f"/v1/jobs/{job_id}", headers=headers or {}).json()
        if view["status"] in ("succeeded", "failed", "cancelled"):
            return view
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} still {view.get('status')} after {seconds} s")
