"""``carerun serve``: the app is built on the database and scenario given and handed to
uvicorn on the host and port given (uvicorn itself is not started here)."""

from __future__ import annotations

import uvicorn

from routing.domain.scenario_io import write_scenario
from service.api import state_of
from service.cli import main


def test_serve_builds_the_app_with_the_options_given(tmp_path, monkeypatch, small_scenario, capsys):
    started = {}

    def fake_run(app, **kw):
        started.update(kw, app=app)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("CARERUN_JOB_THREADS", "0")  # the settings come from the environment too
    scenario_file = tmp_path / "s.json"
    write_scenario(small_scenario, scenario_file)
    url = f"sqlite:///{tmp_path / 'served.db'}"
    argv = ["serve", "--database", url, "--scenario", str(scenario_file)]
    assert main([*argv, "--host", "0.0.0.0", "--port", "9123"]) == 0
    app = started.pop("app")
    assert started == {"host": "0.0.0.0", "port": 9123, "log_level": "warning"}
    state = state_of(app)
    assert state.settings.database_url == url and state.settings.job_threads == 0
    served = state.dataset.now().scenario
    assert (served.council, served.name) == (small_scenario.council, small_scenario.name)
    assert (tmp_path / "served.db").is_file()
    assert "http://0.0.0.0:9123" in capsys.readouterr().out
    state.engine.dispose()
