"""Faults and abuse over HTTP, SQLite and PostgreSQL side by side (issue 14's table).

A portal client written from the README and the service's ``/openapi.json`` alone. For each
database, ``carerun serve`` (the interpreter's own ``carerun``) runs in a subprocess on a free
loopback port with a fresh ``CARERUN_HOME`` and the embedded Cambridge dataset; API keys are
made with ``carerun keys create --scope ...`` (owners A and B per scope, with ``--owner`` when
the CLI offers it). Then, in this order:

1. kill -9 of the server during a burst of rankings, each with its own ``Idempotency-Key``
   (and one allocation job in flight), restart on the same home and database: every ranking
   answered 200 before the kill must be readable (``GET /v1/awards/{id}``), every job accepted
   must finish, and every key retried must end answered exactly once (no 409 left after
   ``--stuck-wait`` s; a replay carries the same award or job id);
2. bad inputs by category (types, ranges, links, sizes, encodings, auth, cross-owner): each
   must get a 4xx in the one error shape the README documents; a 2xx is accepted-but-wrong
   (and for cross-owner reads a leak);
3. a plain restart: the server must start again on what it stored.

Any status >= 500, a dropped connection or no answer within ``--timeout`` s is harm, on every
request sent (except the connections the kill itself drops); after a harmful answer the kept
connection is tried once with ``GET /v1/health``, then the client reconnects. PostgreSQL comes from
``--postgres URL`` or ``$CARERUN_TEST_DATABASE_URL`` (``.ci/postgres`` prints one); a fresh
database is made in it and dropped afterwards.

This script holds the command line, the run order (``run``), the table and the results file;
the parts are ``reliability_server`` (``carerun serve``, keys, a fresh PostgreSQL database),
``reliability_probe`` (the client: requests, harm and shape counting, the documented bodies),
``reliability_checks`` (harm rows, answers, the error shape), ``reliability_kills`` (step 1),
``reliability_inputs`` (step 2: types, ranges, sizes, encodings) and ``reliability_access``
(step 2: links, auth, cross-owner).

Run: ``python bench/reliability.py [--postgres URL]``; writes ``bench/results/reliability.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shlex
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from common import cpu_model, git_state
from reliability_access import auth, cross_owner, links
from reliability_checks import CATEGORIES, HARM
from reliability_inputs import encodings, ranges, sizes, types
from reliability_kills import burst_and_kill
from reliability_probe import Probe
from reliability_server import BA, Server, code_state, fresh_postgres

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "reliability.md"


def run(probe: Probe) -> None:
    """One database, in the order above: keys, kills, the bad inputs, a plain restart."""
    t = time.monotonic()
    probe.code = code_state()
    probe.make_keys()
    first = probe.start("first start")
    if first is None:
        return
    probe.notes.append(f"first start (stores the dataset) took {first:.1f} s")
    try:
        probe.discover()
        for cycle in range(1, probe.args.kills + 1):
            if not probe.down:
                burst_and_kill(probe, cycle)
                print(f"  {probe.name}: kill {cycle} done", flush=True)
        phases = (
            types,
            ranges,
            links,
            sizes,
            encodings,
            auth,
            cross_owner,
        )
        for phase in phases:
            if probe.down:
                break
            p = time.monotonic()
            phase(probe)
            print(
                f"  {probe.name}: {phase.__name__} done in {time.monotonic() - p:.1f} s",
                flush=True,
            )
        if not probe.down:
            probe.server.stop()
            took = probe.start("a plain restart after the bad inputs")
            if took is not None:
                ans = probe.request(f"GET /v1/awards/{probe.award_a}", BA, show="/v1/awards/{id}")
                probe.notes.append(
                    f"plain restart after the bad inputs took {took:.1f} s; "
                    f"the first award read: {ans.label()}"
                )
    finally:
        probe.server.stop()
        if probe.client is not None:
            probe.client.close()
    if probe.down:
        probe.notes.append(f"stopped early: {probe.down}")
    probe.notes.append(f"whole run {time.monotonic() - t:.0f} s")
    if code_state() != probe.code:
        probe.notes.append("the working tree changed during this database's run")


def table(probes: list[Probe]) -> list[str]:
    lines = ["| | " + " | ".join(p.name for p in probes) + " |", "|---|" + "---:|" * len(probes)]
    lines.append("| requests sent | " + " | ".join(str(p.sent) for p in probes) + " |")
    lines.append(
        "| kills (kill -9 mid-burst, then restart) | "
        + " | ".join(str(p.kills) for p in probes)
        + " |"
    )
    for c in CATEGORIES:
        lines.append(
            f"| bad inputs tried: {c} | " + " | ".join(str(p.tried[c]) for p in probes) + " |"
        )
    for row, label in HARM.items():
        cells = []
        for p in probes:
            n = len(p.harm[row])
            cell = f"{n} of {len(p.key_records)}" if row == "stuck" else str(n)
            cells.append(f"**{cell}**" if n else cell)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return lines


def write(probes: list[Probe], args: argparse.Namespace, skipped: str) -> None:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    argv = ["URL" if "://" in a else a for a in sys.argv[1:]]
    cmd = " ".join(shlex.quote(a) for a in [f"bench/{Path(sys.argv[0]).name}", *argv])
    texts = {
        "detail": '`{"detail": [{"loc", "msg", "type"}]}` (README, Errors), read literally: '
        "`loc` a list, `msg` and `type` strings, and no other keys in an item (pydantic's "
        "`input` and `ctx` make a second shape)",
        "problem": "RFC 9457 problem details as the README writes them: "
        "`application/problem+json`, `type`, `title`, `status` (equal to the HTTP status), "
        "`detail` and a non-empty `errors` list of `loc` (a list), `code`, `message`",
    }
    shapes = {p.shape for p in probes}
    shape_text = (
        texts[next(iter(shapes))]
        if len(shapes) == 1
        else "; ".join(f"{p.name}: {texts[p.shape]}" for p in probes)
        + " (the README changed between the databases)"
    )
    owner_texts = {
        True: "keys of owners A and B made with `carerun keys create --owner rel-a / rel-b`",
        False: "`carerun keys create` has no owner option, so owner A and owner B are two keys "
        "with the same scope (issue 14 item 4 asks for owners); a cross-owner read is key A "
        "reading what key B made",
    }
    kinds = {p.owners for p in probes}
    owners = (
        owner_texts[next(iter(kinds))]
        if len(kinds) == 1
        else "; ".join(f"{p.name}: {owner_texts[p.owners]}" for p in probes)
    )
    lines = [
        "# Reliability: faults and abuse over HTTP, SQLite and PostgreSQL side by side",
        "",
        f"- Date: {datetime.now(UTC).isoformat(timespec='seconds')}",
        f"- Machine: {cores} usable cores, {cpu_model()}, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}; server and client share it.",
        f"- Commit: {git_state()}; code per database (HEAD + digest of uncommitted changes): "
        + "; ".join(f"{p.name} {p.code}" for p in probes)
        + (
            " (not the same code: compare columns with care)"
            if len({p.code for p in probes}) > 1
            else ""
        ),
        f"- Command: `{cmd}` (`bench/reliability.py` docstring says what is done).",
        "- Service: `carerun serve` (one process) on a fresh `CARERUN_HOME`, the embedded "
        "Cambridge dataset, loopback. The client is written from the README and `/openapi.json` "
        "only; bodies start from the OpenAPI `RankingBody` example with a start date 14 days "
        "ahead.",
        f"- Owners: {owners}.",
        f"- Error shape checked on every answer >= 400: {shape_text}.",
        "- After every 5xx or dropped answer to a bad input, `GET /v1/health` is sent on the "
        "client's kept-alive connection (a failure there is counted as a dropped connection of its "
        "own), then the client reconnects, so each bad input is judged on a fresh connection.",
        f"- Kill: {args.burst} rankings per burst, each with its own Idempotency-Key, at "
        f"concurrency {args.concurrency}, kill -9 after {args.kill_after} answers, one allocation "
        f"job in flight; after each restart every key so far is retried (a 409 for up to "
        f"{args.stuck_wait:g} s), a key not answered before the kill twice. Kills come first, on "
        f"the clean dataset; then the bad inputs; then a plain restart. Timeout "
        f"{args.timeout:g} s per request.",
        *([f"- {skipped}"] if skipped else []),
        "",
        *table(probes),
        "",
        "Every harm row should read 0 on a good service.",
        "",
        "## What was seen (one example per non-zero cell)",
        "",
    ]
    for row, label in HARM.items():
        lines.append(f"- **{label.split(' (')[0]}**")
        for p in probes:
            n = len(p.harm[row])
            if not n:
                lines.append(f"  - {p.name}: 0")
                continue
            extra = ""
            why = {"stuck": p.stuck_reasons, "shape": p.shape_reasons}.get(row)
            if why:
                extra = " (" + "; ".join(f"{k}: {v}" for k, v in sorted(why.items())) + ")"
            lines.append(f"  - {p.name}: {n}{extra}; e.g. {p.harm[row][0]}")
    lines += ["", "## Every 5xx and dropped connection", ""]
    for p in probes:
        counts: dict[str, int] = {}
        for entry in p.harm["5xx"]:
            counts[entry] = counts.get(entry, 0) + 1
        lines.append(f"- {p.name}: " + ("none" if not counts else ""))
        lines += [f"  - {e}" + (f" (×{n})" if n > 1 else "") for e, n in counts.items()]
    lines += ["", "## Notes", ""]
    for p in probes:
        slow = f"slowest answer {p.slowest[0]:.1f} s ({p.slowest[1]})"
        lines.append(f"- {p.name}: " + "; ".join([*p.notes, slow]) + ".")
    lines += [
        "",
        "## Every bad input and its answer",
        "",
        "✗ marks harm: a 2xx to a bad input, a 5xx or no answer; for cross-owner, a leak.",
        "",
        "| category | input | route | " + " | ".join(p.name for p in probes) + " |",
        "|---|---|---|" + "---|" * len(probes),
    ]
    order: list[tuple[str, str, str]] = []
    seen: dict[str, dict[tuple[str, str, str], list[str]]] = {p.name: {} for p in probes}
    for p in probes:
        for cat, what, route, label in p.cases:
            k = (cat, what, route)
            if k not in order:
                order.append(k)
            seen[p.name].setdefault(k, []).append(label)
    for k in sorted(order, key=lambda k: CATEGORIES.index(k[0])):
        cells = [", ".join(seen[p.name].get(k, ["-"])) for p in probes]
        lines.append(
            f"| {k[0]} | {k[1].replace('|', '/')} | `{k[2]}` | " + " | ".join(cells) + " |"
        )
    out = args.out or RESULTS
    out.write_text("\n".join(lines) + "\n")
    print(f"written: {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--postgres", default=os.environ.get("CARERUN_TEST_DATABASE_URL"))
    ap.add_argument("--no-sqlite", action="store_true", help="PostgreSQL only (development)")
    ap.add_argument("--burst", type=int, default=60, help="rankings per kill burst")
    ap.add_argument("--kill-after", type=int, default=25, help="answers before kill -9")
    ap.add_argument("--concurrency", type=int, default=8)
    ap.add_argument("--kills", type=int, default=2, help="kill -9 cycles per database")
    ap.add_argument("--stuck-wait", type=float, default=5.0, help="seconds a 409 is retried")
    ap.add_argument("--job-wait", type=float, default=60.0, help="seconds for a job to finish")
    ap.add_argument("--visits", type=int, default=5000, help="visits in the huge package")
    ap.add_argument("--windows", type=int, default=20000, help="windows in the huge visit")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="carerun-reliability-"))
    print(f"logs and homes under {tmp}", flush=True)
    dbs: list[tuple[str, str | None]] = [] if args.no_sqlite else [("SQLite", None)]
    skipped, drop = "", None
    if args.postgres:
        url, drop = fresh_postgres(args.postgres)
        dbs.append(("PostgreSQL", url))
    else:
        skipped = "PostgreSQL not run: no URL given (--postgres or $CARERUN_TEST_DATABASE_URL)."
    probes = []
    try:
        for name, url in dbs:
            home = tmp / name.lower()
            home.mkdir()
            probe = Probe(name, Server(home, url, tmp / f"{name.lower()}-server.log"), args)
            print(f"{name}: start", flush=True)
            run(probe)
            probes.append(probe)
            print("\n".join(table([probe])), flush=True)
    finally:
        if drop is not None:
            drop()
    write(probes, args, skipped)


if __name__ == "__main__":
    main()
