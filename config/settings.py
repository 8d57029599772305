"""Settings, read from the environment (see .env.example).

The embedded default is SQLite with DEBUG off-by-default semantics kept explicit: `make run`
sets DJANGO_DEBUG=1 for local use; production sets DATABASE_URL, SECRET_KEY and ALLOWED_HOSTS.
"""
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# A development key is only accepted when DEBUG is on; production must set its own.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key" if DEBUG else None)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "simple_history",
    "axes",
    "django_q",
    "apps.core",
    "apps.accounts",
    "apps.regions",
    "apps.spm",
    "apps.people",
    "apps.posyandu",
    "apps.organisations",
    "apps.serviceday",
    "apps.reports",
    "apps.followups",
    "apps.fieldregisters",
    "apps.programmes",
    "apps.library",
    "apps.meetings",
    "apps.competency",
    "apps.imports",
    "apps.offline",
    "apps.privacy",
    "apps.home",
    "apps.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "apps.core.context_processors.navigation",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
# SQLite is the embedded default. The options avoid "database is locked" under concurrent
# writers (IMMEDIATE transactions, WAL, a busy timeout).
SQLITE_PATH = env("SQLITE_PATH", default=str(BASE_DIR / "var" / "db.sqlite3"))
# An empty DATABASE_URL means the embedded default too (CI passes it empty for the SQLite run).
DATABASES = {
    "default": env.db_url_config(env.str("DATABASE_URL", default="") or f"sqlite:///{SQLITE_PATH}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A streaming replica of the primary for the dashboards' reads (config/db_router.py): only the
# report values are read from it. Empty: one database.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=60))
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests run against the primary's test database under the replica's name.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["config.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# --- Background jobs ------------------------------------------------------------------------
# django-q2: the database is the broker by default (no extra service); with REDIS_URL set the
# queue moves to Redis. One worker on SQLite (a second writer only waits on the lock).
REDIS_URL = env.str("REDIS_URL", default="")
Q_CLUSTER: dict[str, object] = {
    "name": "posyandu",
    "workers": env.int("Q_WORKERS", default=1 if DATABASES["default"]["ENGINE"].endswith("sqlite3") else 2),
    "timeout": 600,  # a national recompute; `retry` must exceed it
    "retry": 900,
    "max_attempts": 3,
    "catch_up": False,  # after downtime one run of each schedule, not one per missed minute
    "save_limit": 500,
    "label": "Antrean tugas",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Password reset mails (a link valid PASSWORD_RESET_TIMEOUT seconds); e.g.
# EMAIL_URL=smtp+tls://user:password@smtp.example.go.id:587. The default prints mails to the log.
vars().update(environ.Env.email_url_config(env("EMAIL_URL", default="") or "consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Posyandu 6 SPM <no-reply@localhost>")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=2 * 3600)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes, apps/accounts/throttling.py, docs/security.md): a username is
# locked after AXES_FAILURE_LIMIT failures from any address, an address after AXES_IP_FAILURE_LIMIT
# failures for any usernames, for AXES_COOLOFF_HOURS. Attempts are recorded per username+IP pair,
# so a success resets only that pair: logging in to one's own account does not clear an address.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_IP_FAILURE_LIMIT = env.int("AXES_IP_FAILURE_LIMIT", default=30)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "apps.accounts.throttling.LoginThrottleHandler"
AXES_CLIENT_IP_CALLABLE = "apps.accounts.throttling.client_ip"
# Reverse proxies in front of gunicorn that append to X-Forwarded-For (1 behind one nginx); 0 trusts
# REMOTE_ADDR only. Behind nginx with 0 every client would be 127.0.0.1 and share one IP limit.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# --- Security -------------------------------------------------------------------------------
SECURE_HTTPS = env.bool("DJANGO_SECURE_HTTPS", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_HTTPS
CSRF_COOKIE_SECURE = SECURE_HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if SECURE_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=3600)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=False)
if not globals().get("SECURE_HSTS_PRELOAD"):
    # Preloading is the domain owner's submission to the browsers' lists (hard to undo), not the
    # application's to make; without it `check --deploy` warns W021, so that one is silenced.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Locale ---------------------------------------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = env("TIME_ZONE", default="Asia/Jakarta")
USE_I18N = True
USE_TZ = True  # timestamps stored in UTC; visit dates are plain dates
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static ---------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env(
            "STATICFILES_BACKEND",
            default="whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "apps.core.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min", "user": "1200/min"},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Posyandu 6 SPM API",
    "DESCRIPTION": "API sistem informasi Posyandu 6 bidang SPM. Semua data dibatasi wilayah pengguna.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Three models have a "status" choice set: name each enum after its model.
    "ENUM_NAME_OVERRIDES": {
        "PersonStatusEnum": "apps.people.models.PersonStatus",
        "SessionStatusEnum": "apps.serviceday.models.SessionStatus",
        "ReferralStatusEnum": "apps.serviceday.models.ReferralStatus",
        # Four fields (vision and hearing, each side) share one choice set.
        "SenseScreeningEnum": "apps.serviceday.models.SenseScreening",
        "MonthEnum": "apps.programmes.models.MONTH_CHOICES",  # start and end month of a programme
        "CaseStatusEnum": "apps.fieldregisters.models.CaseStatus",
        "MeetingStatusEnum": "apps.meetings.models.MeetingStatus",
        "ProgrammeStatusEnum": "apps.programmes.models.ProgrammeStatus",
        "ReportStatusEnum": "apps.reports.models.ReportStatus",
        "FollowUpStatusEnum": "apps.followups.models.FollowUpStatus",
    },
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/bootstrap5-responsive.html"

# Map tiles cannot be reached offline; a deployment sets its own tile server.
MAP_TILE_URL = env("MAP_TILE_URL", default="")
MAP_TILE_ATTRIBUTION = env("MAP_TILE_ATTRIBUTION", default="")
# The monthly report is due by this day of the following month (a regional choice, not a rule).
REPORT_DEADLINE_DAY = env.int("REPORT_DEADLINE_DAY", default=10)
# How long the access log of full NIK and reporter identities is kept (docs/operations.md).
ACCESS_LOG_RETENTION_DAYS = env.int("ACCESS_LOG_RETENTION_DAYS", default=1825)
# Follow-ups: the SLA in working days (empty: apps/followups/data/sla.json) and the evidence size.
FOLLOWUP_SLA_WORKING_DAYS = env.int("FOLLOWUP_SLA_WORKING_DAYS", default=None)
FOLLOWUP_EVIDENCE_MAX_MB = env.int("FOLLOWUP_EVIDENCE_MAX_MB", default=5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}
