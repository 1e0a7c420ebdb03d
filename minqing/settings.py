"""Settings for every environment; machine-specific values come from minqing.env."""

import datetime
from pathlib import Path

from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from minqing import env

env.load_file()
BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env.str_("MINQING_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env.bool_("DEBUG", False)
SECRET_KEY = env.str_("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-never-used-in-production"

ALLOWED_HOSTS = env.list_("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list_("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "core.apps.MinqingAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Widget templates through TEMPLATES (FORM_RENDERER below), so templates/ can correct one of Django's.
    "django.forms",
    # pg_trgm lookups for similar cases; harmless on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    # API tokens per device, stored hashed (knox); the model is accounts.ApiToken.
    "knox",
    # Second factor (MLPS 2.0 level 3): TOTP apps and one-time recovery codes (accounts.twofactor).
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core",
    "audit",
    "accounts",
    "cases",
    "diaries",
    "notifications",
    "dashboards",
    "oversight",
    "home",
    "demo",
    "integrations",
    "households",
    "residents",
    "captcha",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "minqing.routers.ReadYourWritesMiddleware",
    "core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.TwoFactorMiddleware",
    "core.middleware.ForcePasswordChangeMiddleware",
    "core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "core.middleware.NoStoreWhenSignedInMiddleware",
]

ROOT_URLCONF = "minqing.urls"
WSGI_APPLICATION = "minqing.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "notifications.context_processors.unread_notices",
                "core.text_size.large_text",
            ],
        },
    },
]

# templates/admin/widgets/split_datetime.html: the admin's date and time inputs get their own labels.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.database("DATABASE_URL", VAR_DIR / "minqing.sqlite3")}
# DATABASE_POOLER=transaction: DATABASE_URL (and the replica's) is a PgBouncer in transaction mode.
# Each transaction may get another server connection, so nothing may outlive one: no server-side
# cursors (QuerySet.iterator() would DECLARE one WITH HOLD), no SET outside a transaction
# (set_config(..., true) only), no advisory locks or LISTEN. See README "Production".
DATABASE_POOLER = env.str_("DATABASE_POOLER", "") or ""
if DATABASE_POOLER not in {"", "transaction"}:
    raise ImproperlyConfigured("DATABASE_POOLER must be empty or 'transaction'")
# Reads the code marks with minqing.routers.on_replica() (dashboards, report, exports, scores) go here.
DATABASE_REPLICA_URL = env.str_("DATABASE_REPLICA_URL", "") or ""
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.database("DATABASE_REPLICA_URL", VAR_DIR / "minqing.sqlite3")
    # Tests never create a database on the replica: it is the primary's copy.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["minqing.routers.ReplicaRouter"]
for _db in DATABASES.values():
    if DATABASE_POOLER and _db["ENGINE"] == "django.db.backends.postgresql":
        _db["DISABLE_SERVER_SIDE_CURSORS"] = True
# After a write, the writer's session reads the primary this long (read-your-writes).
REPLICA_STICKY_SECONDS = env.int_("REPLICA_STICKY_SECONDS", 10)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) speed up PostgreSQL; on SQLite, the embedded default, they are plain indexes.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "accounts.passwords.CharacterClassValidator"},
    # Refuses the last PASSWORD_HISTORY passwords and records each new one.
    {"NAME": "accounts.passwords.PasswordHistoryValidator"},
]
# A password older than this many days sends its user to the change form (0: never).
PASSWORD_EXPIRY_DAYS = env.int_("PASSWORD_EXPIRY_DAYS", 90)
# How many of a user's last passwords cannot be chosen again (0: any).
PASSWORD_HISTORY = env.int_("PASSWORD_HISTORY", 5)

# The model backend inside the sign-in limits of accounts.lockout: per account and per source address.
AUTHENTICATION_BACKENDS = ["accounts.backends.LockoutModelBackend"]
LOGIN_MAX_FAILURES = env.int_("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCK_MINUTES = env.int_("LOGIN_LOCK_MINUTES", 10)
LOGIN_ADDRESS_MAX_FAILURES = env.int_("LOGIN_ADDRESS_MAX_FAILURES", 20)
LOGIN_ADDRESS_BLOCK_MINUTES = env.int_("LOGIN_ADDRESS_BLOCK_MINUTES", 10)

# Roles that must sign in with a second factor; superusers count as "admin". Everyone else may enrol.
TWO_FACTOR_REQUIRED_ROLES = env.list_("TWO_FACTOR_REQUIRED_ROLES", ["admin", "city_office"])
# The issuer authenticator apps show beside the account name.
OTP_TOTP_ISSUER = env.str_("OTP_TOTP_ISSUER", "Minqing")
# Admins remove a lost device; they never see anyone's secret or its QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str_("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG
# Uploaded photos live outside the web root and are served by views that
# check scope, never by the static file server.
MEDIA_ROOT = Path(env.str_("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True  # 30 minutes idle, not 30 minutes after login
# However busy, a session ends this many hours after its sign-in (accounts.middleware.SessionLifetimeMiddleware).
SESSION_ABSOLUTE_HOURS = env.int_("SESSION_ABSOLUTE_HOURS", 12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Scripts only from our own files (no inline scripts anywhere); styles may be
# inline because the admin and a few widgets set style attributes.
CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "connect-src": "'self'",
    "font-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool_("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = env.bool_("SECURE_COOKIES", True)
    SECURE_SSL_REDIRECT = env.bool_("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env.int_("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool_("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env.bool_("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Proxies in front of gunicorn that append the client to X-Forwarded-For (README "Production"): the residents'
# per-address limit and the audit trail read the client's address from there. 0: the connection's own address.
TRUSTED_PROXY_COUNT = env.int_("TRUSTED_PROXY_COUNT", 0)

# How long a city-wide coverage count of a period ending today is reused (dashboards.metrics.coverage_counts).
COVERAGE_CACHE_SECONDS = env.int_("COVERAGE_CACHE_SECONDS", 300)

# Lists of a city or more whose rows the planner puts above this are counted by its estimate (core.api.pagination).
LIST_COUNT_ESTIMATE_ABOVE = env.int_("LIST_COUNT_ESTIMATE_ABOVE", 20_000)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: its WWW-Authenticate header makes a missing login a 401.
        "accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api.permissions.PasswordChangeNotPending",
    ],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.PageNumberPagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
# API tokens (README, Security): one per device, ending after API_TOKEN_IDLE_MINUTES without
# use (like a browser session) and API_TOKEN_MAX_HOURS after issue whatever the use.
KNOX_TOKEN_MODEL = "accounts.ApiToken"
# Knox's migrations would create its own (swapped-out) token table anyway; without them knox has no table,
# and the tests' flush never meets a table that references users but belongs to no installed model.
MIGRATION_MODULES = {"knox": None}
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(minutes=env.int_("API_TOKEN_IDLE_MINUTES", 30)),
    "AUTO_REFRESH": True,
    "AUTO_REFRESH_MAX_TTL": datetime.timedelta(hours=env.int_("API_TOKEN_MAX_HOURS", 12)),
    "AUTH_HEADER_PREFIX": "Token",  # API.md: ``Authorization: Token <key>``
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Minqing API",
    "DESCRIPTION": "民情日记 — diaries, cases and their closed loops.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The contract is for signed-in clients only (session or token), like every other route.
    "SERVE_PERMISSIONS": [
        "rest_framework.permissions.IsAuthenticated",
        "accounts.api.permissions.PasswordChangeNotPending",
    ],
    # Swagger UI from the vendored sidecar package: works with no internet.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # The error answers of API.md (400/401/403/404/409), added to every operation in one place.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.add_error_responses",
    ],
    # Several models have a "kind"; name each enum after its own choices.
    "ENUM_NAME_OVERRIDES": {
        "OrgKindEnum": "accounts.models.OrgKind",
        "StationKindEnum": "accounts.models.StationKind",
        "DifficultyEnum": "cases.choices.Difficulty",
        "CaseStatusEnum": "cases.choices.Status",
        "CaseSourceEnum": "cases.choices.Source",
        "CaseLevelEnum": "cases.choices.Level",
        "OrderLevelEnum": "oversight.models.OrderLevel",
        "ProjectStatusEnum": "cases.choices.ProjectStatus",
        "HouseholdStatusEnum": "households.models.RecordStatus",
        "HouseholdKindEnum": "households.models.RecordKind",
    },
}

# Celery: Redis when REDIS_URL is set; otherwise a broker kept in files under
# var/ so `make run` needs no server at all. PostgreSQL holds every deadline
# and every undelivered notice; the broker only carries "do this now".
REDIS_URL = env.str_("REDIS_URL")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # No countdown/ETA tasks exist, so this only bounds how long a message
        # taken by a worker that died waits before another worker gets it.
        "visibility_timeout": 3600,
        # With Redis down a publish fails in about a second instead of hanging a request.
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "socket_keepalive": True,
        "health_check_interval": 30,
    }
else:
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # Broadcast exchanges (worker remote control) go here too, not into the working directory.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_ALWAYS_EAGER = env.bool_("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# Late acks (redelivery if a worker dies mid-task) only where a task says it
# is idempotent: the sweep and the deliveries do, per task.
CELERY_TASK_ACKS_LATE = False
CELERY_TASK_REJECT_ON_WORKER_LOST = False
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Publishing: fail fast rather than retry inside a web request (callers that
# care keep the work in PostgreSQL, see notifications/outbox.py). Workers
# keep reconnecting for as long as Redis is away.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_TIMEZONE = TIME_ZONE
SWEEP_INTERVAL = env.int_("SWEEP_INTERVAL", 5)  # minutes
DELIVERY_INTERVAL = env.int_("DELIVERY_INTERVAL", 60)  # seconds
# Each entry expires before its next run, so runs queued while the workers
# were away do not pile up and all fire at once when they return. One beat
# only (README); a second one by mistake sends nothing twice (claims).
CELERY_BEAT_SCHEDULE = {
    "sweep-deadlines": {
        "task": "cases.sweep_deadlines",
        "schedule": SWEEP_INTERVAL * 60,
        "options": {"expires": SWEEP_INTERVAL * 60 * 0.8},
    },
    "deliver-pending-notices": {
        "task": "notifications.deliver_pending",
        "schedule": DELIVERY_INTERVAL,
        "options": {"expires": DELIVERY_INTERVAL * 0.8},
    },
    # Messages to residents whose nudge was lost, and their retries (residents.messages).
    "send-resident-messages": {
        "task": "residents.send_pending_messages",
        "schedule": DELIVERY_INTERVAL,
        "options": {"expires": DELIVERY_INTERVAL * 0.8},
    },
    # Wrong tracking look-ups past their window (residents.limits): nothing to remember them for.
    "prune-tracking-misses": {
        "task": "residents.prune_tracking_misses",
        "schedule": crontab(minute=17),
        "options": {"expires": 3000},
    },
    # Results back to 12345 / 基层治理四平台 (integrations.pushes), in order per order.
    "send-pushes": {
        "task": "integrations.send_pushes",
        "schedule": 60,
        "options": {"expires": 48},
    },
    "nightly-rollup": {
        "task": "dashboards.tasks.rollup_yesterday",
        "schedule": crontab(hour=1, minute=0),
        "options": {"expires": 12 * 3600},
    },
    # 大数据比对 over the last 90 days, nightly after the roll-up (≤ 60 s at province scale).
    "nightly-hotspots": {
        "task": "dashboards.tasks.detect_hotspots",
        "schedule": crontab(hour=1, minute=30),
        "options": {"expires": 12 * 3600},
    },
    # Last month's reports frozen as of its end, after the roll-up and the hotspot detection of the 1st.
    "monthly-report-snapshots": {
        "task": "dashboards.tasks.freeze_monthly_reports",
        "schedule": crontab(day_of_month=1, hour=2, minute=0),
        "options": {"expires": 12 * 3600},
    },
    # 民情档案's retention: inactive records past their city's period lose their personal data.
    "ledger-retention": {
        "task": "households.anonymize_inactive",
        "schedule": crontab(hour=3, minute=0),
        "options": {"expires": 12 * 3600},
    },
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# Notices: the in-app inbox always; these channels as well (short names or
# dotted paths of notifications.channels.Channel subclasses).
NOTIFY_CHANNELS = env.list_("NOTIFY_CHANNELS", ["email", "webhook"])
# Seconds; attempts include the first.
NOTIFY_RETRY = {"base": 30, "cap": 3600, "max_attempts": env.int_("NOTIFY_MAX_ATTEMPTS", 8)}
# Single sign-on (accounts.sso): a provider is on when its client id is set. Sign-in matches an
# ExternalIdentity an admin linked; nobody is created. The base URLs are settings so tests and
# `manage.py fake_dingtalk` can stand in for the real services.
SSO_OIDC = {
    "issuer": env.str_("SSO_OIDC_ISSUER", ""),
    "client_id": env.str_("SSO_OIDC_CLIENT_ID", ""),
    "client_secret": env.str_("SSO_OIDC_CLIENT_SECRET", ""),
    "name": env.str_("SSO_OIDC_NAME", "OIDC"),
}
DINGTALK = {
    "client_id": env.str_("SSO_DINGTALK_CLIENT_ID", ""),  # the app's AppKey (also signs work notices)
    "client_secret": env.str_("SSO_DINGTALK_CLIENT_SECRET", ""),
    "corp_id": env.str_("DINGTALK_CORP_ID", ""),  # in-app sign-in inside the DingTalk client
    "agent_id": env.str_("DINGTALK_AGENT_ID", ""),  # work notices
    "login_url": env.str_("DINGTALK_LOGIN_URL", "https://login.dingtalk.com"),
    "api_url": env.str_("DINGTALK_API_URL", "https://api.dingtalk.com"),
    "oapi_url": env.str_("DINGTALK_OAPI_URL", "https://oapi.dingtalk.com"),
}
# Messages to residents (residents.sms): logged with the phone masked unless a gateway is set up.
# The residents' channel's limits (RESIDENTS.md "Abuse"): requests per phone per day, per source address per hour.
RESIDENT_LIMIT_PER_PHONE_PER_DAY = env.int_("RESIDENT_LIMIT_PER_PHONE_PER_DAY", 5)
RESIDENT_LIMIT_PER_ADDRESS_PER_HOUR = env.int_("RESIDENT_LIMIT_PER_ADDRESS_PER_HOUR", 20)
SMS_BACKEND = env.str_("SMS_BACKEND", "residents.sms.ConsoleBackend")
SMS_GATEWAY = {
    "url": env.str_("SMS_GATEWAY_URL", ""),
    "access_key_id": env.str_("SMS_ACCESS_KEY_ID", ""),
    "secret": env.str_("SMS_SECRET", ""),
    "sign_name": env.str_("SMS_SIGN_NAME", ""),
    # The gateway's template id per message kind (residents.models.Message.Kind).
    "templates": {
        "received": env.str_("SMS_TEMPLATE_RECEIVED", ""),
        "answered": env.str_("SMS_TEMPLATE_ANSWERED", ""),
        "redo": env.str_("SMS_TEMPLATE_REDO", ""),
    },
}
# Absolute links in e-mails and chat messages, e.g. https://minqing.example.gov.cn
SITE_URL = env.str_("SITE_URL", "")
EMAIL_BACKEND = env.str_(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str_("EMAIL_HOST", "localhost")
EMAIL_PORT = env.int_("EMAIL_PORT", 25)
EMAIL_HOST_USER = env.str_("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.str_("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env.bool_("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str_("DEFAULT_FROM_EMAIL", "minqing@localhost")

# 一张图: the map draws township outlines with no tiles (works offline). A tile service's URL template
# ({z}/{x}/{y}, e.g. a provincial 天地图 layer) set here is offered as a link beside the map, not drawn.
MAP_TILE_URL = env.str_("MAP_TILE_URL", "")

DEMO_PASSWORD = env.str_("DEMO_PASSWORD", "Minqing@2026")
DEMO_HISTORY_DAYS = env.int_("DEMO_HISTORY_DAYS", 60)  # the demo county's months of diaries and cases

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Phone- and ID-shaped numbers are masked in every line that reaches a handler.
    "filters": {"mask_numbers": {"()": "minqing.log_filters.MaskPersonalNumbers"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["mask_numbers"]}},
    "root": {"handlers": ["console"], "level": env.str_("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Django's own default sends the run server's access lines to a handler of its own, past the
        # masking filter (a search for a phone number was logged in full): they go through ours instead.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
CASE_CODE_PREFIX = env.str_("CASE_CODE_PREFIX", "SZ")
