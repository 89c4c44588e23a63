"""``carerun keys``: create, list and revoke the service's API keys."""

from __future__ import annotations

from typing import Annotated

import typer

from geodata.errors import NotFound
from service.cli.console import console
from service.cli.options import InputError

app = typer.Typer(help="API keys for the service.", no_args_is_help=True)


def _sessions(database: str | None):
    from service.store.engine import make_engine, migrate, sessions

    engine = make_engine(database)
    migrate(engine)
    return sessions(engine)


@app.command("create")
def keys_create(
    scope: Annotated[list[str], typer.Option(help="brokerage, planner, sustainability, admin")],
    label: Annotated[str, typer.Option(help="who or what the key is for")] = "",
    owner: Annotated[
        str | None,
        typer.Option(
            help="the organisation the key belongs to: its keys share what they make "
            "(awards, jobs, reports); default: the key alone"
        ),
    ] = None,
    database: Annotated[str | None, typer.Option(help="database URL")] = None,
) -> None:
    """Create an API key with the given scopes and print it (the only time it is shown)."""
    from service.auth import create_key

    try:
        with _sessions(database)() as s:
            key = create_key(s, scope, label, owner)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    console.print(key, soft_wrap=True, highlight=False)


@app.command("list")
def keys_list(database: Annotated[str | None, typer.Option(help="database URL")] = None) -> None:
    """List the keys' ids, scopes and labels (never the keys themselves)."""
    from service.auth import list_keys

    with _sessions(database)() as s:
        for k in list_keys(s):
            state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
            console.print(
                f"{k.id}\t{','.join(k.scopes)}\t{state}\t{k.owner or k.id}\t{k.label}",
                highlight=False,
            )


@app.command("revoke")
def keys_revoke(
    key_id: str, database: Annotated[str | None, typer.Option(help="database URL")] = None
) -> None:
    """Revoke a key by its id (the part before the dot)."""
    from service.auth import revoke_key

    with _sessions(database)() as s:
        if not revoke_key(s, key_id):
            raise NotFound(f"key {key_id}: not found or already revoked")
    console.print(f"revoked {key_id}")
