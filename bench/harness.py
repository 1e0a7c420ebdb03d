"""Timing, rows of the result table, printing and the JSON file."""

import json
import statistics
import time
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.test.utils import CaptureQueriesContext


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


@dataclass
class Sample:
    ms: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.ms)

    @property
    def p95(self) -> float:
        return pct(self.ms, 95)

    @property
    def max(self) -> float:
        return max(self.ms)


def measure(fn, n: int, *, warmup: int = 2) -> Sample:
    """Call ``fn`` n times; wall time in ms and the number of SQL queries of each call."""
    for _ in range(warmup):
        fn()
    out = Sample()
    for _ in range(n):
        with CaptureQueriesContext(connection) as ctx:
            t = time.perf_counter()
            fn()
            out.ms.append((time.perf_counter() - t) * 1000)
        out.queries.append(len(ctx.captured_queries))
    return out


@dataclass
class Row:
    name: str
    target: str
    met: bool | None
    p50: float | None = None
    p95: float | None = None
    max: float | None = None
    queries: str = ""
    how: str = ""
    notes: str = ""
    extra: dict = field(default_factory=dict)

    @classmethod
    def timed(cls, name: str, sample: Sample, *, target: str, met: bool, how: str, notes: str = "", **extra):
        qs = sorted(set(sample.queries))
        queries = str(qs[0]) if len(qs) == 1 else f"{qs[0]}–{qs[-1]}" if qs else ""
        return cls(name, target, met, round(sample.p50, 1), round(sample.p95, 1), round(sample.max, 1),
                   queries, how, notes, {"n": len(sample.ms), **extra})  # fmt: skip


def _fmt(v) -> str:
    return "" if v is None else f"{v:.1f}" if isinstance(v, float) else str(v)


def table(rows: list[Row]) -> str:
    head = ["what", "p50 ms", "p95 ms", "max ms", "queries", "target", "met", "measured", "notes"]
    body = [
        [r.name, _fmt(r.p50), _fmt(r.p95), _fmt(r.max), r.queries, r.target,
         {True: "yes", False: "NO", None: "n/a"}[r.met], r.how, r.notes]
        for r in rows
    ]  # fmt: skip
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(cells) + " |" for cells in body]
    return "\n".join(lines)


def write_json(path, rows: list[Row], meta: dict) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"meta": meta, "rows": [asdict(r) for r in rows]}, f, ensure_ascii=False, indent=2)


def merged(path, rows: list[Row]) -> list[Row]:
    """The rows of the JSON file at ``path`` with these rows in place of the ones of the same name."""
    try:
        with open(path, encoding="utf-8") as f:
            old = [Row(**r) for r in json.load(f)["rows"]]
    except (OSError, ValueError, KeyError, TypeError):
        return rows
    fresh = {r.name: r for r in rows}
    out = [fresh.pop(r.name, r) for r in old]
    return out + list(fresh.values())
