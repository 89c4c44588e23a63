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

from geodata.errors import GeodataError
from routing.errors import RoutingError
from service.cli import keys, network, runs, scenario, zones
from service.cli.demo import demo
from service.cli.options import InputError
from service.cli.rank import rank
from service.cli.replan import replan
from service.cli.report import report
from service.cli.serve import serve
from service.cli.whatif import whatif
from zones.errors import ZoneError

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

#: errors whose message is one line for the user: printed, exit status 1
KNOWN_ERRORS = (GeodataError, RoutingError, ZoneError, InputError)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI on ``argv`` (default: the process's arguments) and return the exit
    status: 0 done, 1 a known error (one line on stderr), 2 a usage error."""
    command = typer.main.get_command(app)
    try:
        command.main(args=argv, prog_name="carerun", standalone_mode=True)
    except SystemExit as exc:  # usage errors (2), --help (0) and typer.Exit end here
        return exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    except KNOWN_ERRORS as exc:
        print(f"carerun: error: {exc}", file=sys.stderr)
        return 1
    return 0


def run() -> None:
    """Console-script wrapper around ``main``."""
    sys.exit(main())
