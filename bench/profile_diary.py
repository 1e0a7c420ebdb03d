"""One diary POST with two issues, profiled in-process against the bench database: its statements
(CaptureQueriesContext) and its Python hot spots (cProfile, our own modules first).

    scripts/bench.sh --scale county --exec ".venv/bin/python -m bench.profile_diary"

The entries it writes carry a marker and are deleted at the end, like the load row's.
"""

import cProfile
import io
import json
import os
import pstats
import time
import uuid

import django

N = 30


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings")
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.load import _categories, _officers
    from cases.models import Case
    from diaries.models import DiaryEntry

    ((token, station),) = _officers(1)
    codes = _categories()
    marker = f"profile-{uuid.uuid4().hex[:8]}"
    client = Client(HTTP_AUTHORIZATION=f"Token {token}")

    def post(i: int):
        body = {"station": station, "visit_date": timezone.localdate().isoformat(), "visit_type": "household",
                "content": f"{marker}-{i} 走访了解到村民反映道路和排水问题，现场记录如下。",
                "issues": [{"title": "村口道路破损积水", "category": codes[0], "description": "雨后积水严重"},
                           {"title": "路灯夜间不亮", "category": codes[-1], "description": "影响夜间出行"}]}  # fmt: skip
        r = client.post("/api/v1/diaries/", json.dumps(body), content_type="application/json",
                        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()))  # fmt: skip
        assert r.status_code == 201, r.content[:300]

    try:
        for i in range(3):  # warm the process's caches, as a server that has answered before
            post(i)
        with CaptureQueriesContext(connection) as ctx:
            post(3)
        print(f"== {len(ctx.captured_queries)} statements in one POST")
        for q in ctx.captured_queries:
            print(f"{q['time']:>6} s  {q['sql'][:160]}")
        t = time.process_time()
        for i in range(N):
            post(100 + i)
        print(f"\n== CPU of this process per POST (no profiler): {(time.process_time() - t) * 1000 / N:.1f} ms")
        profile = cProfile.Profile()
        profile.enable()
        for i in range(N):
            post(200 + i)
        profile.disable()
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("cumulative").print_stats(
            r"/work/[^.]*/(accounts|cases|core|diaries|notifications|audit)/", 40
        )
        stats.sort_stats("tottime").print_stats(25)
        print(out.getvalue())
    finally:
        entries = DiaryEntry.objects.filter(content__startswith=marker)
        Case.objects.filter(diary__in=entries).delete()
        entries.delete()


if __name__ == "__main__":
    main()
