"""The command line's one console, and the one way it writes an output file."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

console = Console()


def write_output(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path``, making its folder, and say so on the console."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    console.print(f"Written: {path}")
