"""Shared code of the benchmark scripts: command line, data folders, environment lines,
tables. The solvers side by side are in ``runners.py``, the VRPTW table in ``vrptw.py``.

About the published-benchmark scripts (solomon.py, homberger.py, hhc.py):

carerun is run as the product runs it, ``routing.runs.solve`` then ``routing.runs.check``;
a solution that fails the check is reported as a failure, never as a result. Peer solvers
(PyVRP, VROOM through pyvroom) get the very same integer problem (instance units x 1000,
travel time rounded up, distance rounded), their routes are re-timed with
``routing.runs.benchmarks.earliest_schedule`` and go through the same ``check``. Every distance
in a table is recomputed in double precision from the coordinates (or the HHC ``d``
matrix), whoever produced the routes. A second, bench-local re-check (``recheck``) is run
on every solution too; where it and ``check`` disagree the report says so.

Data: ``../shared/benchmarks`` next to the repository by default (``--data DIR``); the
scripts skip with a message when it is missing. Nothing here is imported at run time by
carerun; PyVRP / pyvroom are the ``bench`` extra.
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import os
import platform
import shlex
import subprocess
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


DEFAULT_DATA = REPO.parent / "shared" / "benchmarks"
RESULTS = REPO / "bench" / "results"


# --------------------------------------------------------------------------- CLI


def base_parser(description: str, *, time_limit: float, peers: bool = True):
    """The arguments every benchmark script takes."""
    p = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--time-limit", type=float, default=time_limit, help=f"seconds (default {time_limit:g})"
    )
    p.add_argument("--instances", default="", help="comma-separated names, e.g. C101,R101")
    p.add_argument("--limit", type=int, default=0, help="run only the first N instances")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA, help="benchmark folder")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--workers", type=int, default=2, help="carerun search workers")
    p.add_argument("--out", type=Path, default=None, help="Markdown report (default results/)")
    if peers:
        p.add_argument(
            "--no-peers", action="store_true", help="skip PyVRP and VROOM (development only)"
        )
    return p


def data_folder(args: argparse.Namespace, sub: str) -> Path | None:
    """``args.data / sub``, or ``None`` after saying why the benchmark is skipped."""
    folder = Path(args.data) / sub
    if not folder.is_dir():
        print(
            f"SKIPPED: benchmark data not found at {folder} (bench-only data, not shipped; "
            "pass --data DIR pointing at the folder that holds solomon/, gehring_homberger/, "
            "hhc_mankowska/)."
        )
        return None
    return folder


def select(names: Sequence[str], args: argparse.Namespace) -> list[str]:
    """Names picked by ``--instances`` (case-insensitive, in the given order), cut by
    ``--limit``. Unknown names stop the run."""
    names = list(names)
    if args.instances:
        wanted = [w.strip() for w in args.instances.split(",") if w.strip()]
        lower = {n.lower(): n for n in names}
        unknown = [w for w in wanted if w.lower() not in lower]
        if unknown:
            sys.exit(f"unknown instance(s): {', '.join(unknown)}; known: {', '.join(names)}")
        names = [lower[w.lower()] for w in wanted]
    if args.limit:
        names = names[: args.limit]
    return names


def read_csv(path: Path, key: str = "instance") -> dict[str, dict[str, str]]:
    with path.open() as f:
        return {r[key]: r for r in csv.DictReader(f)}


# --------------------------------------------------------------------------- environment


def version(dist: str) -> str:
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def git_state() -> str:
    try:
        rev = subprocess.run(
            ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return rev + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def environment_lines(args: argparse.Namespace) -> list[str]:
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 0
    versions = ", ".join(
        f"{d} {version(d)}" for d in ("carerun", "ortools", "numpy", "pyvrp", "pyvroom")
    )
    cmd = " ".join(shlex.quote(a) for a in [Path(sys.argv[0]).name, *sys.argv[1:]])
    return [
        f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Machine: {cores} usable cores, {cpu_model()}, {platform.system()} "
        f"{platform.release()} (shared and noisy: compare ratios within one run)",
        f"- Python {platform.python_version()}; {versions}",
        f"- carerun commit: {git_state()}",
        f"- Command: `{cmd}` (time limit {args.time_limit:g} s, seed {args.seed}, "
        f"{args.workers} carerun search processes)",
    ]


def gap_pct(value: float | None, ref: float) -> float | None:
    return None if value is None else 100.0 * (value - ref) / ref


def signed(x: float) -> str:
    """A gap with its sign, two decimals, and no "-0.00"."""
    text = f"{x:+.2f}"
    return "0.00" if text in ("+0.00", "-0.00") else text


def md_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    sep = ["---:" if r else "---" for r in right]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)
