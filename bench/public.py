"""Residents' submissions under load: 50 concurrent public requests to ``/api/v1/public/requests/`` against
gunicorn as production runs it, and what they cost the staff: the case list's p95 idle and meanwhile.
As README "Production" deploys them, the public paths go to a residents' pool of their own at low CPU
priority and the staff's list to the staff's pool, on the same machine.

Every client is a different resident (its own phone and source address, sent as X-Forwarded-For the way
the proxy in front of gunicorn does), so the per-phone and per-address limits do not stop the run; a 429
would count as an error. Each submission goes to one of ``STATIONS`` stations drawn across the scale, as
50 residents at once are across a county or province: one village's code taking 3,000 requests a minute
is not a load that happens, and it grew the measured desk's own queue by all of them (the row then
measured a desk whose queue had tripled, not the load's cost; see README). The requests written are
deleted at the end so repeated runs see the same data.
"""

import http.client
import json
import multiprocessing
import os
import random
import signal
import threading
import time
import uuid

from django.db.models import Q
from django.utils import timezone

from accounts.models import ApiToken, OrgUnit, User
from accounts.roles import Role
from bench.harness import Row, Sample
from bench.load import _free_port, _gunicorn_shape, _start_gunicorn
from cases.models import Case
from residents.codes import code_for, current_assignments

CLIENTS = 50
PATH = "/api/v1/public/requests/"
LIST_PATH = "/api/v1/cases/?page_size=20"
TARGET_RATIO = 1.2
THINK_SECONDS = 1.0
STAFF_PAUSE_SECONDS = 0.5
# The staff's list is read throughout, while the residents' load is switched on and off in windows: quiet
# and loaded readings come from the same minutes, so the VM's own drift from minute to minute (the idle
# p95 of two quiet minutes apart differed by up to 1.5× here) falls on both sides alike.
WINDOW_SECONDS = 10.0
SETTLE_SECONDS = 1.0
PUBLIC_NICE = 19
PUBLIC_WORKERS = "2"
STATIONS = 200


def _get(port: int, path: str, token: str) -> float:
    t = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Authorization": f"Token {token}", "Connection": "close"})
        r = conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError(f"case list answered {r.status}")
    finally:
        conn.close()
    return (time.perf_counter() - t) * 1000


class _StaffSampler:
    """A desk user opening the list twice a second until ``stop`` (a perf_counter reading: the monotonic
    clock, the same in every process), from a process of its own. In a thread beside the 50 clients its
    timings included waiting for this process's GIL after the answer had arrived, which counted the load
    generator's own Python as the server's slowness. Sampled, not a second load: at 20 a second the
    sampler alone took ~0.7 of this machine's two cores."""

    def __init__(self, port: int, token: str, stop: float):
        self._read, write = multiprocessing.Pipe(duplex=False)
        self._pid = os.fork()
        if self._pid == 0:  # the child: HTTP only, and out without running the parent's exit handlers
            code = 0
            try:
                times, errors = [], []
                while time.perf_counter() < stop:
                    try:
                        times.append((time.perf_counter(), _get(port, LIST_PATH, token)))
                    except (OSError, RuntimeError) as exc:
                        errors.append(f"list: {exc!r}")
                    time.sleep(STAFF_PAUSE_SECONDS)
                write.send((times, errors))
            except BaseException:  # noqa: BLE001 - reported by the parent as missing samples
                code = 1
            finally:
                os._exit(code)  # never close the parent's database connections from here
        write.close()

    def collect(self) -> tuple[list[tuple[float, float]], list[str]]:
        """The readings as (when it was sent, ms), and the errors."""
        try:
            result = self._read.recv()
        except EOFError:
            result = ([], ["list: the sampler process failed"])
        os.waitpid(self._pid, 0)
        return result


def _staff_token() -> tuple[str, int]:
    """A township desk's token and its township's id."""
    desk = User.objects.filter(roles__role=Role.TOWNSHIP_STAFF, is_active=True, org_unit__isnull=False).first()
    _row, key = ApiToken.objects.create(user=desk, device="bench-public")
    return key, desk.org_unit.township_id


def _station_tokens() -> list[tuple[str, int]]:
    """(民情码 token, township id) of ``STATIONS`` stations with an officer now, drawn at random (seeded) from
    the whole scale."""
    ids = sorted(set(current_assignments().filter(officer__is_active=True).values_list("station_id", flat=True)))
    chosen = random.Random(0).sample(ids, min(STATIONS, len(ids)))
    return [(code_for(s).token, s.township_id) for s in OrgUnit.objects.filter(pk__in=chosen).order_by("pk")]


def _windows(start: float, seconds: float) -> list[tuple[float, float, bool]]:
    """(from, to, loaded) of alternating quiet and loaded windows, quiet first, ``seconds`` of each in all."""
    out, t = [], start
    for _ in range(max(1, round(seconds / WINDOW_SECONDS))):
        out += [(t, t + WINDOW_SECONDS, False), (t + WINDOW_SECONDS, t + 2 * WINDOW_SECONDS, True)]
        t += 2 * WINDOW_SECONDS
    return out


def _split(readings: list[tuple[float, float]], windows) -> tuple[list[float], list[float]]:
    """The staff's readings (start, ms) taken in quiet windows and in loaded ones, each window's first
    ``SETTLE_SECONDS`` left out (the residents' last requests finishing, or their first ones starting)."""
    quiet, loaded = [], []
    for at, ms in readings:
        for t0, t1, busy in windows:
            if t0 + SETTLE_SECONDS <= at < t1:
                (loaded if busy else quiet).append(ms)
    return quiet, loaded


def public_submissions(seconds: float) -> list[Row]:
    token, township_id = _staff_token()
    stations = _station_tokens()
    to_desk = 0  # submissions that landed in the measured desk's own township
    marker = f"bench-{uuid.uuid4().hex[:10]}"
    port, public_port = _free_port(), _free_port()
    proc = _start_gunicorn(port)
    public = _start_gunicorn(public_port, nice=PUBLIC_NICE, env={"WEB_CONCURRENCY": PUBLIC_WORKERS})
    try:
        time.sleep(3)  # let every worker finish importing Django
        # Every worker thread's first requests open its connections and finish its imports (up to ~0.5 s):
        # spent before the first window, so that the quiet p95 is the list's, not the start-up's.
        for _ in range(40):
            _get(port, LIST_PATH, token)
        lat: list[float] = []
        errors: list[str] = []
        created = 0
        lock = threading.Lock()
        windows = _windows(time.perf_counter() + 1, seconds)
        stop = windows[-1][1]

        def next_load(now: float) -> float | None:
            """When the residents may next send: now inside a loaded window, else the next one's start."""
            for t0, t1, busy in windows:
                if busy and now < t1 - 0.2:
                    return max(now, t0)
            return None

        def resident(i: int) -> None:
            nonlocal created, to_desk
            k = 0
            # Residents do not press "submit" in step: each starts at its own moment of a loaded window's
            # first second and waits 0.5–1.5 s between two (50 a second on average). Started together and
            # paced exactly, the 50 stayed one burst of 50 at the same instant every second.
            # The residents' phones are elsewhere in life: here their threads yield the CPU to the servers.
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
            pace = random.Random(i)
            while (at := next_load(time.perf_counter())) is not None:
                if at > time.perf_counter():  # a quiet window: wait for the next loaded one
                    time.sleep(max(0.0, at - time.perf_counter()) + pace.uniform(0, THINK_SECONDS))
                    continue
                k += 1
                station_token, station_township = pace.choice(stations)
                body = {
                    "station_token": station_token, "content": f"{marker} 路灯不亮，晚上出行不便（第{i}-{k}次）",
                    "name": "", "phone": f"17{i:03d}{k:06d}", "confidential": False, "consent": True,
                }  # fmt: skip
                headers = {"Content-Type": "application/json", "Connection": "close",
                           "X-Forwarded-For": f"10.{i}.{k // 250 % 250}.{k % 250 + 1}"}  # fmt: skip
                t = time.perf_counter()
                conn = http.client.HTTPConnection("127.0.0.1", public_port, timeout=30)
                try:
                    conn.request("POST", PATH, json.dumps(body, ensure_ascii=False).encode(), headers)
                    r = conn.getresponse()
                    data = r.read()
                    with lock:
                        lat.append((time.perf_counter() - t) * 1000)
                        if r.status == 201:
                            created += 1
                            to_desk += station_township == township_id
                        else:
                            errors.append(f"{r.status} {data[:120]!r}")
                except OSError as exc:
                    with lock:
                        errors.append(repr(exc))
                finally:
                    conn.close()
                # A resident takes a moment between two submissions (reading the tracking code): each client
                # sends about one a second, so 50 clients are a burst of ~50 req/s, not a flood.
                time.sleep(max(0.0, pace.uniform(0.5, 1.5) * THINK_SECONDS - (time.perf_counter() - t)))

        sampler = _StaffSampler(port, token, stop)
        threads = [threading.Thread(target=resident, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        readings, staff_errors = sampler.collect()
        errors += staff_errors
        idle, meanwhile = _split(readings, windows)
    finally:
        for p in (proc, public):
            os.killpg(p.pid, signal.SIGTERM)
            p.wait(30)
    # Leave the data as it was (intake may make the title from the content, or keep it as the description).
    Case.objects.filter(Q(description__startswith=marker) | Q(title__startswith=marker)).delete()
    ApiToken.objects.filter(device="bench-public").delete()

    sample = Sample(ms=lat or [float("nan")])
    idle_s, busy_s = Sample(ms=idle or [float("nan")]), Sample(ms=meanwhile or [float("nan")])
    ratio = busy_s.p95 / idle_s.p95 if idle_s.p95 else float("nan")
    # The noise floor: the quiet windows' readings split in two halves (odd and even windows), against each other.
    quiet = [w for w in windows if not w[2]]
    halves = [Sample(ms=_split(readings, quiet[k::2])[0] or [float("nan")]).p95 for k in (0, 1)]
    floor = max(halves) / min(halves) if min(halves) else float("nan")
    rps = len(lat) / (seconds or 1)
    submissions = Row.timed(
        f"resident submissions, {CLIENTS} clients, gunicorn", sample,
        target="p95 ≤ 300 ms, 0 errors", met=not errors and created > 0 and sample.p95 <= 300,
        how=f"HTTP POST {PATH} over loopback → the residents' pool (README Production: gunicorn -w {PUBLIC_WORKERS}, nice {PUBLIC_NICE}), {seconds:.0f} s in {WINDOW_SECONDS:.0f} s windows, {len(stations)} stations across the scale, distinct phones/addresses, each client 0.5–1.5 s apart (not in step)",
        notes=f"{rps:.0f} req/s; {created} created, {len(errors)} errors at {timezone.now():%Y-%m-%d %H:%M}"
        + (f"; first error: {errors[0]}" if errors else ""),
        rps=round(rps, 1), created=created, errors=len(errors),
    )  # fmt: skip
    staff_row = Row.timed(
        "staff case list while residents submit", busy_s,
        target=f"p95 ≤ {TARGET_RATIO}× idle", met=ratio <= TARGET_RATIO,
        how=f"GET {LIST_PATH} as a township desk → the staff's pool (gunicorn {_gunicorn_shape()}), from a process of its own at one reading per ~0.5 s throughout, the residents' load on and off in {WINDOW_SECONDS:.0f} s windows (quiet {len(idle)} readings, loaded {len(meanwhile)}; each window's first {SETTLE_SECONDS:.0f} s left out)",
        notes=f"quiet p95 {idle_s.p95:.0f} ms (p50 {idle_s.p50:.0f}), loaded p95 {busy_s.p95:.0f} ms (p50 {busy_s.p50:.0f}): {ratio:.2f}×; "
        f"the quiet windows against each other (odd/even): {floor:.2f}×; {to_desk} of the {created} requests in this desk's township",
        idle_p95=round(idle_s.p95, 1), ratio=round(ratio, 2), noise=round(floor, 2),
    )  # fmt: skip
    return [submissions, staff_row]
