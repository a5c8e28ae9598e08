"""Settings of the portal, read from the environment (twelve-factor).

Every value an operator sets is listed in README.md ("Configuration"). Without
any environment the portal runs for local development only when DEBUG is on:
SQLite under var/, a broker in the file system, e-mail written to var/mail/.
"""

import ipaddress
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from portal import limits
from portal.mailers import mailer_from_url

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-" + "x" * 40)
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The public address of the portal, used in e-mails and feeds where no request is at hand.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "portal",
    "portal.notifications",
    "portal.audit",
    "groups",
    "meetings",
    "projects",
    "privacy",
    "api",
    "reports",
    "portal.audit.admin_config.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.BrowserPolicyHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.middleware.LanguageMiddleware",
    "portal.middleware.RequestBodyLimitMiddleware",
    "portal.middleware.RequestHygieneMiddleware",
    "portal.audit.middleware.AuditContextMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "portal.middleware.SessionActivityMiddleware",
    "portal.middleware.TwoFactorMiddleware",
    "portal.middleware.PrivatePagesNoStoreMiddleware",
    "portal.middleware.QueryTimeoutMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
}
if not env.str("DATABASE_URL", default=""):
    # The embedded database lives in var/, which a fresh clone does not have yet; Django's system
    # checks open it before any command could create the folder.
    VAR_DIR.mkdir(parents=True, exist_ok=True)
# Seconds a new PostgreSQL connection is tried again while the server restarts (portal/postgres).
DATABASE_CONNECT_RETRY = env.float("DATABASE_CONNECT_RETRY", default=10.0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "portal.postgres"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
else:
    # Web server, worker and beat share the file: wait for a lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Seconds a statement of a web request may run on PostgreSQL (0: no limit); set by portal.wsgi for web
# processes only (portal/db.py). Searches get the shorter limit inside their own transaction.
DATABASE_STATEMENT_TIMEOUT = env.float("DATABASE_STATEMENT_TIMEOUT", default=5.0)
SEARCH_STATEMENT_TIMEOUT = env.float("SEARCH_STATEMENT_TIMEOUT", default=1.5)

# --- Redis: Celery broker and the shared cache ----------------------------

REDIS_URL = env.str("REDIS_URL", default="")
# Socket timeouts keep a request from hanging when Redis hangs.
REDIS_SOCKET_TIMEOUT = env.float("REDIS_SOCKET_TIMEOUT", default=5.0)
CACHE_KEY_PREFIX = env.str("CACHE_KEY_PREFIX", default="portal")

# --- Monitoring (portal/status.py) -------------------------------------------
STATUS_TOKEN = env.str("STATUS_TOKEN", default="")
STATUS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(network, strict=False) for network in env.list("STATUS_ALLOWED_NETWORKS", default=[])
]
STATUS_MAX_OUTBOX_AGE = env.int("STATUS_MAX_OUTBOX_AGE", default=10 * 60)
STATUS_MAX_BEAT_AGE = env.int("STATUS_MAX_BEAT_AGE", default=3 * 60)
STATUS_MIN_WORKERS = env.int("STATUS_MIN_WORKERS", default=1)
# Seconds after which a mail claimed by a worker that never marked it sent counts as a dead worker's
# and is sent again unless the journal shows it left (make rehearsal shortens it to see that happen).
OUTBOX_CLAIM_TIMEOUT = env.int("OUTBOX_CLAIM_TIMEOUT", default=10 * 60)

# Error reports to Sentry (or a compatible service) only when a DSN is given; no personal data is sent.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
        send_default_pii=False,
    )

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            "OPTIONS": {
                "socket_timeout": REDIS_SOCKET_TIMEOUT,
                "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
            },
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": REDIS_SOCKET_TIMEOUT,
        "socket_connect_timeout": REDIS_SOCKET_TIMEOUT,
        "visibility_timeout": 3600,
    }
else:
    # The embedded default of `make run`: processes on one machine share files.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }

CELERY_TIMEZONE = "Europe/Berlin"
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = REDIS_SOCKET_TIMEOUT
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Only the holder of a lock sends: a second beat started by mistake stands by (portal/beat.py).
CELERY_BEAT_SCHEDULER = "portal.beat:SingleBeatScheduler"

# --- E-mail ---------------------------------------------------------------

EMAIL_URL = env.str("EMAIL_URL", default=f"file://{VAR_DIR / 'mail'}" if DEBUG else "")
if not EMAIL_URL:
    raise ImproperlyConfigured("EMAIL_URL must be set when DEBUG is off (e.g. smtp+tls://...).")
MAILERS = {"default": mailer_from_url(EMAIL_URL)}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Fachgruppe Handwerk <portal@fachgruppe-handwerk.invalid>"
)
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# --- Accounts (django-allauth) --------------------------------------------

AUTH_USER_MODEL = "groups.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2 first; accounts with an older PBKDF2 hash get an Argon2 one at their next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "portal.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "portal.forms.SignupProfileForm"
ACCOUNT_FORMS = {"signup": "portal.account_forms.SignupForm"}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
# A reset requested for an unknown address sends nothing: the portal mails only its members.
# allauth renders that mail all the same and the adapter drops it unsent, so the request does the
# same work for a known and an unknown address.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Fachgruppe Handwerk] "
ACCOUNT_RATE_LIMITS = {
    # Sign-in attempts per client address, right or wrong.
    "login": "30/m/ip",
    # Wrong passwords: 20 per client address in five minutes over all accounts, and five per
    # account *from that client* (the adapter puts the client address into the key), so a
    # stranger's wrong passwords never lock the owner out.
    "login_failed": "20/5m/ip,5/5m/key",
    # The public subscription form mails the address it is given: per client and per address.
    "information_subscribe": "10/h/ip,3/d/key",
    # "Meine Daten herunterladen" builds a ZIP of everything: three a day per account.
    "data_export": "3/d/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Fachgruppe Handwerk"
# The sessions page shows each session's last activity; portal.middleware.SessionActivityMiddleware
# (in place of allauth's, which writes on every request) records it at most this often.
USERSESSIONS_TRACK_ACTIVITY = True
SESSION_ACTIVITY_INTERVAL = env.int("SESSION_ACTIVITY_INTERVAL", default=5 * 60)

# --- Lists and calendars --------------------------------------------------

# The personal calendar feed holds the meetings from the first of the month this many months
# back, and everything ahead (meetings.selectors_calendar.feed_window_start).
CALENDAR_FEED_MONTHS_BACK = env.int("CALENDAR_FEED_MONTHS_BACK", default=12)
# Reviews a model project needs before it is decided (a space may set its own number in the admin).
PROJECT_MIN_REVIEWS = env.int("PROJECT_MIN_REVIEWS", default=2)

# --- API and embedding ------------------------------------------------------

# Requests to /api/v1/ per minute: every request counts for its client address, and one with a
# token also for the token (api.http).
API_REQUESTS_PER_MINUTE_PER_ADDRESS = env.int("API_REQUESTS_PER_MINUTE_PER_ADDRESS", default=300)
API_REQUESTS_PER_MINUTE_PER_TOKEN = env.int("API_REQUESTS_PER_MINUTE_PER_TOKEN", default=120)
# Origins whose pages may show the embeddable showcase (/einbetten/...) in a frame, e.g.
# "https://www.hwk-beispiel.de". Empty: no site may (frame-ancestors 'none', like every other page).
EMBED_FRAME_ANCESTORS = env.list("EMBED_FRAME_ANCESTORS", default=[])

# --- Security -------------------------------------------------------------

# HTTPS is on whenever DEBUG is off; set HTTPS=false only for local tests over http.
HTTPS = env.bool("HTTPS", default=not DEBUG)
if HTTPS:
    # "__Host-" cookies are only accepted over https, host-only, with path "/".
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_NAME = "__Host-language"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
if ALLAUTH_TRUSTED_PROXY_COUNT:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_EXCLUDE = [r"^healthz$"]
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}

# --- Internationalisation -------------------------------------------------

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

# --- Static files and uploads ---------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# Uploaded files are served only through views that check the ring rules.
MEDIA_URL = None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# The largest upload (portal.limits.UPLOAD_MAX_BYTES, 20 MB) plus room for the form's fields.
# A larger declared body is answered 413 before it is read (RequestBodyLimitMiddleware); keep
# nginx's client_max_body_size at the same value (README, "Deployment").
REQUEST_FORM_FIELDS_BYTES = 1024 * 1024
REQUEST_BODY_MAX_BYTES = limits.UPLOAD_MAX_BYTES + REQUEST_FORM_FIELDS_BYTES
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# The form fields of a request without its files: the longest text (portal.limits.DOCUMENT,
# 50,000 characters) percent-encoded is well below this.
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_FORM_FIELDS_BYTES

# --- Legal pages (Impressum, Datenschutz, Barrierefreiheit) ---------------

# A folder of Markdown files named impressum.md, datenschutz.md and
# barrierefreiheit.md (optionally impressum.en.md etc. for English).
LEGAL_DIR = Path(env.str("LEGAL_DIR", default=str(BASE_DIR / "portal" / "legal")))

# --- Logging: one JSON object per line on stdout --------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "datefmt": "%Y-%m-%dT%H:%M:%S%z",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
        # Libraries whose INFO lines tell an operator nothing (weasyprint logs each step of a PDF).
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # The file-system broker of `make run` has no host, which kombu warns about on every connection.
        **({} if REDIS_URL else {"kombu.connection": {"level": "ERROR"}}),
    },
}
