"""Where the machine's CPU went during a load run: gunicorn, PostgreSQL, the load clients, the rest.

Read from /proc (Linux). A process tree's total is its own time plus the
time of children it has already reaped (cutime/cstime) plus that of its
live children, so backends that came and went during the run are counted.
"""

import os
import resource
from dataclasses import dataclass
from pathlib import Path

_TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU s, reaped children's CPU s) of a process, or None when it is gone."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name may hold spaces; every field after its closing parenthesis is a number.
    fields = raw[raw.rindex(")") + 2 :].split()
    ppid = int(fields[1])
    utime, stime, cutime, cstime = (int(x) / _TICK for x in fields[11:15])
    return ppid, utime + stime, cutime + cstime


def tree_seconds(root: int) -> float:
    """CPU seconds of ``root`` and all its descendants, reaped ones included."""
    parents: dict[int, int] = {}
    own: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            got = _stat(int(entry.name))
            if got:
                parents[int(entry.name)] = got[0]
                own[int(entry.name)] = got[1] + got[2]
    total, frontier = 0.0, [root]
    while frontier:
        pid = frontier.pop()
        total += own.get(pid, 0.0)
        frontier += [child for child, parent in parents.items() if parent == pid]
    return total


def machine_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, all cores."""
    values = [int(x) / _TICK for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    total = sum(values[:8])  # guest time is already inside user
    return total - idle, total


def self_seconds() -> float:
    """This process (the load clients' threads and the bench itself)."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def postmaster_pid() -> int | None:
    data = os.environ.get("BENCH_PG_DATA")
    try:
        return int(Path(data, "postmaster.pid").read_text().split("\n", 1)[0]) if data else None
    except (OSError, ValueError):
        return None


@dataclass
class Snapshot:
    app: float
    db: float
    clients: float
    busy: float
    total: float


def snapshot(app_pid: int) -> Snapshot:
    pg = postmaster_pid()
    busy, total = machine_seconds()
    return Snapshot(tree_seconds(app_pid), tree_seconds(pg) if pg else 0.0, self_seconds(), busy, total)


def per_request(before: Snapshot, after: Snapshot, requests: int) -> dict:
    """CPU milliseconds per request for each part, and how busy the machine was."""
    n = max(requests, 1)
    app, db, clients = (after.app - before.app), (after.db - before.db), (after.clients - before.clients)
    busy = after.busy - before.busy
    return {
        "app_ms": round(app * 1000 / n, 1),
        "db_ms": round(db * 1000 / n, 1),
        "clients_ms": round(clients * 1000 / n, 1),
        "other_ms": round(max(0.0, busy - app - db - clients) * 1000 / n, 1),
        "machine_busy": round(busy / max(after.total - before.total, 1e-9), 3),
    }
