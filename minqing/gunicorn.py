"""Gunicorn's settings for production and the load benchmark: ``gunicorn -c python:minqing.gunicorn minqing.wsgi``.

A diary POST is mostly Python (CPU) with short waits on PostgreSQL, so
processes beyond the cores only help to fill those waits; a few threads per
process do that more cheaply than more processes (less memory, one
connection per thread, kept for DB_CONN_MAX_AGE). WEB_CONCURRENCY and
GUNICORN_THREADS override the defaults on a bigger machine.
"""

import os

_cores = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", _cores + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 60
# Let a slow phone finish its upload without holding a worker thread hostage forever.
keepalive = 5
