"""Settings for the BPD platform, read from environment variables.

Development defaults let `python3 dev.py start` work on a fresh clone. Setting
BPD_ENV=production turns every safety on and refuses to start without the
values that must not have defaults (secret key, allowed hosts, and REDIS_URL
unless the operator chooses single-machine mode with BPD_SINGLE_MACHINE=1).
docs/deploy.md lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("BPD_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENVIRONMENT = os.environ.get("BPD_ENV", "development")
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"BPD_ENV must be 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")

if PRODUCTION:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "Production needs DJANGO_SECRET_KEY: a random value of at least 50 characters."
        )
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "Production needs DJANGO_ALLOWED_HOSTS: a comma-separated list of host names, no '*'."
        )
    if not os.environ.get("REDIS_URL") and not env_bool("BPD_SINGLE_MACHINE", False):
        raise ImproperlyConfigured(
            "Production needs REDIS_URL (Redis or Valkey) so every web worker and task worker "
            "shares one cache, one set of sessions and one queue. On a single machine, set "
            "BPD_SINGLE_MACHINE=1 instead to share them through files in BPD_VAR_DIR."
        )
    DEBUG = False
else:
    SECRET_KEY = SECRET_KEY or "dev-only-not-secret-" + "x" * 40
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]
    DEBUG = env_bool("DJANGO_DEBUG", True)

INSTALLED_APPS = [
    "bpd.website",
    "bpd.audit",
    "bpd.pages",
    "bpd.news",
    "bpd.members",
    "bpd.ledger",
    "bpd.conferences",
    "bpd.events",
    "bpd.fund",
    "bpd.communities",
    "bpd.partners",
    "bpd.learning",
    "bpd.insights",
    "bpd.background",
    "bpd.content_import",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "reversion",
    "huey.contrib.djhuey",
    "allauth",
    "allauth.account",
    "django.forms",  # last: the design system's widget templates (bpd.website) come first
]

# Every form renders its fields through the design system's components.
FORM_RENDERER = "bpd.website.forms.Renderer"

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_request_login_code"
LOGIN_REDIRECT_URL = "members:home"

# Passwordless accounts (django-allauth): an emailed one-time code signs people
# up and in. Joining asks for an email address and two acceptances, nothing else.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_TIMEOUT = 15 * 60
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_REQUIRED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 15 * 60  # slow mail on slow networks
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "bpd.members.forms.JoinForm"
ACCOUNT_ADAPTER = "bpd.members.adapters.AccountAdapter"
ACCOUNT_SIGNUP_REDIRECT_URL = "members:onboarding"
ACCOUNT_LOGOUT_REDIRECT_URL = "pages:home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Black Python Devs] "
ACCOUNT_SESSION_REMEMBER = True
ACCOUNT_RATE_LIMITS = {
    # Per address and per IP: a code request, a sign-up, a wrong code.
    "request_login_code": "10/m/ip,3/m/key",
    "signup": "10/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "confirm_email": "1/10s/key",
}
# Behind a reverse proxy, the client's address for rate limits comes from the
# X-Forwarded-For entry added by the outermost of this many trusted proxies
# (0: the direct peer's address), or from one header a trusted proxy sets.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("BPD_TRUSTED_PROXY_COUNT", "0"))
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = os.environ.get("BPD_CLIENT_IP_HEADER") or None

# Optional account connections (connect-only, never a way to sign in). Each is
# off until its settings are present; the page then says so.
GITHUB_CLIENT_ID = os.environ.get("GITHUB_CLIENT_ID", "")
GITHUB_CLIENT_SECRET = os.environ.get("GITHUB_CLIENT_SECRET", "")
GITHUB_URL = os.environ.get("GITHUB_URL", "https://github.com")
GITHUB_API_URL = os.environ.get("GITHUB_API_URL", "https://api.github.com")
DISCORD_CLIENT_ID = os.environ.get("DISCORD_CLIENT_ID", "")
DISCORD_CLIENT_SECRET = os.environ.get("DISCORD_CLIENT_SECRET", "")
DISCORD_BOT_TOKEN = os.environ.get("DISCORD_BOT_TOKEN", "")
DISCORD_GUILD_ID = os.environ.get("DISCORD_GUILD_ID", "")
DISCORD_MEMBER_ROLE_ID = os.environ.get("DISCORD_MEMBER_ROLE_ID", "")
DISCORD_URL = os.environ.get("DISCORD_URL", "https://discord.com")
DISCORD_API_URL = os.environ.get("DISCORD_API_URL", "https://discord.com/api/v10")
# Events: a channel webhook for announcements (the bot above creates scheduled events).
DISCORD_EVENTS_WEBHOOK_URL = os.environ.get("DISCORD_EVENTS_WEBHOOK_URL", "")

# The Fund's visa check: the appointment wait assumed where no published data exists
# (None: the verdict is "unknown" until staff import wait times).
FUND_DEFAULT_WAIT_DAYS = (
    int(os.environ["BPD_FUND_DEFAULT_WAIT_DAYS"])
    if os.environ.get("BPD_FUND_DEFAULT_WAIT_DAYS")
    else None
)

# Development only: a page that signs in as any demo account without a code.
DEMO_SIGN_IN = env_bool("BPD_DEMO_SIGN_IN", DEBUG) and not PRODUCTION

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "bpd.website.middleware.SecurityHeadersMiddleware",
    "bpd.website.middleware.ServedByMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bpd.members.middleware.TimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "reversion.middleware.RevisionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Last, so it sees a 404 before CommonMiddleware adds a slash (docs/redirects.md).
    "bpd.website.middleware.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bpd.website.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in WAL mode by default; DATABASE_URL switches (e.g. to PostgreSQL).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Shared state: one cache (pages, sessions, rate limits, version counters) and one
# task queue that every process sees. REDIS_URL (Redis or Valkey) in production;
# otherwise both live in files under BPD_VAR_DIR, shared by every process on this
# machine (the dev server, manage.py commands, the task worker).
REDIS_URL = os.environ.get("REDIS_URL", "")
TESTING = "PYTEST_VERSION" in os.environ  # set by pytest itself for the run
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "bpd",
            # Fail fast when Redis is down: the page answers 503 instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    HUEY = {
        "huey_class": "huey.PriorityRedisHuey",
        "name": "bpd",
        # Fail fast when Redis is down (huey takes connection options only in the URL).
        "url": REDIS_URL
        + ("&" if "?" in REDIS_URL else "?")
        + "socket_connect_timeout=2&socket_timeout=10",
        "immediate": False,
        "blocking": True,  # workers wait on the queue instead of polling it
    }
else:
    if TESTING:
        import atexit
        import shutil
        import tempfile

        CACHE_DIR = Path(tempfile.mkdtemp(prefix="bpd-test-cache-"))
        atexit.register(shutil.rmtree, CACHE_DIR, True)
    else:
        CACHE_DIR = VAR_DIR / "cache"
    CACHES = {
        "default": {
            "BACKEND": "bpd.background.cache.SharedFileCache",
            "LOCATION": str(CACHE_DIR),
            "OPTIONS": {"size_limit": 512 * 1024 * 1024},
        }
    }
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "bpd",
        "filename": str((CACHE_DIR if TESTING else VAR_DIR) / "tasks.sqlite3"),
        # Tests run tasks at once, in the test's process (BPD_TASKS_IMMEDIATE=0 turns it off).
        "immediate": env_bool("BPD_TASKS_IMMEDIATE", TESTING),
    }
# Content import (bpd.content_import): the largest page or post file read, in KB.
IMPORT_MAX_FILE_KB = int(os.environ.get("BPD_IMPORT_MAX_FILE_KB", "1024"))
if not 1 <= IMPORT_MAX_FILE_KB <= 100 * 1024:
    raise ImproperlyConfigured("BPD_IMPORT_MAX_FILE_KB must be between 1 and 102400.")
# Insights (bpd.insights): the smallest group of members a published figure may describe.
# Public pages use BPD_INSIGHTS_MIN_GROUP (default 10); the staff page may use a smaller one,
# never below 5. Settings fail early rather than publish smaller groups.
INSIGHTS_MIN_GROUP = int(os.environ.get("BPD_INSIGHTS_MIN_GROUP", "10"))
INSIGHTS_STAFF_MIN_GROUP = int(os.environ.get("BPD_INSIGHTS_STAFF_MIN_GROUP", "5"))
if not 5 <= INSIGHTS_STAFF_MIN_GROUP <= INSIGHTS_MIN_GROUP <= 1000:
    raise ImproperlyConfigured(
        "BPD_INSIGHTS_STAFF_MIN_GROUP must be at least 5 and at most BPD_INSIGHTS_MIN_GROUP "
        "(at most 1000)."
    )
# How often the frequent scheduled jobs run (Fund offer expiry, the mail sweep), 1 to 30 minutes.
FREQUENT_JOBS_MINUTES = min(max(int(os.environ.get("BPD_FREQUENT_JOBS_MINUTES", "5")), 1), 30)
HUEY["consumer"] = {
    "workers": int(os.environ.get("BPD_TASK_THREADS", "2")),
    "worker_type": "thread",
    # Poll often: a sign-in code must arrive within seconds.
    "initial_delay": 0.1,
    "backoff": 1.15,
    "max_delay": 1.0,
    "periodic": True,
    "check_worker_health": True,
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: English has no URL prefix; the others live under /<code>/.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ha", _("Hausa")),
    ("sw", _("Swahili")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
# Our catalogue first; then Django's and allauth's messages they do not translate into our
# languages (locale_vendor/refresh.py).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("BPD_MEDIA_ROOT", VAR_DIR / "media"))
# Outside production WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = not PRODUCTION

# Development serves uploads itself; production puts them behind the web server or object storage.
SERVE_MEDIA = env_bool("BPD_SERVE_MEDIA", not PRODUCTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Email leaves the request: pages put messages in a queue (bpd.background) and the
# task worker delivers them, printed to its console in development, by SMTP when
# EMAIL_HOST is set (BPD_EMAIL_DELIVERY_BACKEND overrides, e.g. the file backend).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Black Python Devs <hello@localhost>")
EMAIL_BACKEND = "bpd.background.mail.QueuedEmailBackend"
if os.environ.get("EMAIL_HOST"):
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
elif PRODUCTION:
    EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    # The console, with each sign-in code repeated below its email in a frame.
    EMAIL_DELIVERY_BACKEND = "bpd.background.mail.DevelopmentConsoleBackend"
EMAIL_DELIVERY_BACKEND = os.environ.get("BPD_EMAIL_DELIVERY_BACKEND", EMAIL_DELIVERY_BACKEND)
EMAIL_FILE_PATH = os.environ.get("BPD_EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
# A mail server that stops answering fails the attempt (it is retried) instead of
# holding a worker thread forever.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
# Seconds before each retry of a failed delivery; after the last, the email is marked
# failed for staff. Sign-in codes retry quickly and give up sooner.
EMAIL_RETRY_DELAYS = [int(s) for s in env_list("BPD_EMAIL_RETRY_DELAYS", "30,120,600,1800")]
EMAIL_URGENT_RETRY_DELAYS = [int(s) for s in env_list("BPD_EMAIL_URGENT_RETRY_DELAYS", "5,20")]

# The address the site is served at, for feeds, sitemaps and social previews.
SITE_URL = os.environ.get("BPD_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Hosts whose iframes may stay in editors' Markdown; every other iframe is removed.
CONTENT_IFRAME_HOSTS = env_list(
    "BPD_CONTENT_IFRAME_HOSTS", "www.youtube-nocookie.com,player.vimeo.com"
)

# Security headers. Everything comes from our own origin: no CDN, no analytics.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; frame-src " + " ".join(f"https://{h}" for h in CONTENT_IFRAME_HOSTS)
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the shared cache first and written through to the database;
# signing out deletes both, so the cookie is refused by every process at once.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 63072000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS]

# Tests of the production shape ask each response which worker served it.
EXPOSE_WORKER = env_bool("BPD_EXPOSE_WORKER", False)


def _one_line_for_client_errors(record):
    """A 4xx answer (403 for a page someone may not open, 404, 400 for a bad Host) is
    expected: log its one line, not the traceback of the exception behind it. A 5xx
    keeps its traceback."""
    if 400 <= getattr(record, "status_code", 0) < 500:
        record.exc_info = record.exc_text = None
    return True


# Everything goes to the console once, through the root logger. Django's own default
# adds a second console handler on the "django" logger while DEBUG is on, which printed
# every 403 twice; naming the "django" logger here replaces its handlers (mail_admins
# stays, as in Django's default; it sends nothing unless ADMINS is set).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "one_line_for_client_errors": {"()": lambda: _one_line_for_client_errors},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["one_line_for_client_errors"],
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false", "one_line_for_client_errors"],
        },
    },
    "loggers": {"django": {"handlers": ["mail_admins"], "level": "INFO"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BPD_LOG_LEVEL", "INFO")},
}
