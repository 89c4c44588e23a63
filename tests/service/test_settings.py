"""Settings from the environment: ``CARERUN_JOB_THREADS``, and its old name
``CARERUN_JOB_WORKERS`` read when the new one is not set."""

from __future__ import annotations

import pytest

from service.settings import Settings


def test_job_threads_come_from_carerun_job_threads(monkeypatch):
    monkeypatch.setenv("CARERUN_JOB_THREADS", "3")
    monkeypatch.setenv("CARERUN_JOB_WORKERS", "5")  # the new name wins
    assert Settings.from_env().job_threads == 3


def test_the_old_name_carerun_job_workers_is_still_read(monkeypatch):
    monkeypatch.delenv("CARERUN_JOB_THREADS", raising=False)
    monkeypatch.setenv("CARERUN_JOB_WORKERS", "4")
    assert Settings.from_env().job_threads == 4


def test_job_threads_default_to_one_and_a_bad_value_names_the_variable(monkeypatch):
    monkeypatch.delenv("CARERUN_JOB_THREADS", raising=False)
    monkeypatch.delenv("CARERUN_JOB_WORKERS", raising=False)
    assert Settings.from_env().job_threads == 1
    monkeypatch.setenv("CARERUN_JOB_THREADS", "many")
    with pytest.raises(ValueError, match="CARERUN_JOB_THREADS"):
        Settings.from_env()
