import logging
import os

from celery import Celery
from celery.signals import setup_logging, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minqing.settings")

app = Celery("minqing")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


@setup_logging.connect
def log_through_django_settings(loglevel=None, logfile=None, **kwargs) -> None:
    """The worker logs through settings.LOGGING, whose every handler masks phone and ID numbers,
    instead of the handlers Celery would install of its own; ``--logfile`` and ``--loglevel`` still apply."""
    from logging.config import dictConfig

    from django.conf import settings

    from minqing.log_filters import MaskPersonalNumbers

    dictConfig(settings.LOGGING)
    root = logging.getLogger()
    if loglevel:
        root.setLevel(loglevel)
    if logfile:
        handler = logging.FileHandler(logfile)
        handler.setFormatter(logging.Formatter("[%(asctime)s: %(levelname)s/%(processName)s] %(message)s"))
        handler.addFilter(MaskPersonalNumbers())
        root.handlers = [handler]


@worker_ready.connect
def warn_unless_redis_keeps_every_message(**kwargs) -> None:
    """Redis must run with maxmemory-policy noeviction: evicting would silently drop queued tasks.

    Nothing depends on them for correctness (PostgreSQL holds deadlines and
    undelivered notices), but it would delay notices until the next pick-up.
    """
    url = app.conf.broker_url or ""
    if not url.startswith(("redis://", "rediss://")):
        return
    import redis

    try:
        policy = redis.Redis.from_url(url, socket_connect_timeout=2).config_get("maxmemory-policy")
    except redis.RedisError:
        return  # managed Redis may forbid CONFIG; nothing to check then
    if policy.get("maxmemory-policy") != "noeviction":
        logger.warning("Redis maxmemory-policy is %s; set it to noeviction", policy.get("maxmemory-policy"))
