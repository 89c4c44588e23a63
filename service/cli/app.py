"""The ``carerun`` typer app: every command group assembled, and the one error handler.

Each command lives in the module of its group (``service/cli/<group>.py``): it parses its
options, calls the layers below and prints (printers in ``service/cli/views/``). A known
error (bad file, bad field, unknown name, a value that does not parse) prints one line
naming what is wrong and exits with status 1; usage errors (a missing or malformed option,
typer's ``BadParameter``) exit 2.
"""

from __future__ import annotations

import sys

import typer

from service.cli import keys, network, runs, scenario, zones
from service.cli.demo import demo
from service.cli.rank import rank
from service.cli.replan import replan
from service.cli.report import report
from service.cli.serve import serve
from service.cli.whatif import whatif
from service.errors import exit_code, one_line

app = typer.Typer(
    help="carerun: home-care commissioning optimiser (ranking, runs, zones, carbon).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(demo)
app.command()(report)
app.command()(whatif)
app.command()(replan)
app.add_typer(scenario.app, name="scenario")
app.add_typer(network.app, name="network")
app.add_typer(runs.app, name="runs")
app.add_typer(zones.app, name="zones")
app.add_typer(keys.app, name="keys")
app.command()(serve)
app.command()(rank)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default: the process's arguments) and return the exit
    status: 0 done, 1 the user's error (one line on stderr), 2 a usage error, 3 a bug (one
    line; the traceback is logged, see ``service.errors``)."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="carerun", standalone_mode=True)
    except SystemExit as exc:  # usage errors (2), --help (0) and typer.Exit end here
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except Exception as exc:  # every error by one table: service.errors
        print(f"carerun: error: {one_line(exc)}", file=sys.stderr)
        return exit_code(exc)
    return 0


def run() -> None:
    """Console-script wrapper around ``main``."""
    sys.exit(main())
