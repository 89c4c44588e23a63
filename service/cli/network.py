"""``carerun network``: import, list and inspect road networks."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from service.cli.console import console
from service.cli.views import print_network

app = typer.Typer(help="Import and inspect road networks.", no_args_is_help=True)


@app.command("import")
def network_import(
    file: Path,
    name: Annotated[str, typer.Option(help="name to load it by; a council key to use it there")],
    description: Annotated[str, typer.Option(help="free text")] = "",
) -> None:
    """Prepare an OSM extract (.osm, .osm.bz2, .osm.pbf) for routing and cache it on disk."""
    from geodata.network import import_network, load_network

    t = time.perf_counter()
    net = import_network(file, name, description)
    built = time.perf_counter() - t
    load_network.cache_clear()
    t = time.perf_counter()
    load_network(name)
    cached = time.perf_counter() - t
    print_network(console, net.summary())
    console.print(f"Prepared in {built:.1f} s; loads from the cache in {cached:.2f} s.")


@app.command("list")
def network_list() -> None:
    """List shipped and imported road networks."""
    from geodata.network import SHIPPED, available_networks

    for name in available_networks():
        console.print(f"{name}\t{'shipped' if name in SHIPPED else 'imported'}")


@app.command("info")
def network_info(name: str) -> None:
    """Show a network's graphs per kind (nodes, edges, km) and notes."""
    from geodata.network import load_network

    print_network(console, load_network(name).summary())
