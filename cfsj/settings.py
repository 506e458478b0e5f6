"""cfsj settings: one file, every deployment choice read from the environment.

See `.env.example` for the variables and `docs/deployment.md` for production values.
Parsing is strict: an unknown boolean word, a missing secret outside DEBUG or a malformed URL
stops the process at start-up rather than weakening it quietly.
"""

import secrets
import sys
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
from cryptography.fernet import Fernet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cfsj.lib.crypto import field_keys
from cfsj.lib.env import env_bool, env_int, env_list, env_str
from cfsj.lib.ratelimit import parse_rate_setting

BASE_DIR = Path(__file__).resolve().parent.parent
_env = environ.Env()

DEBUG = env_bool("DEBUG", False)

# Commands that only read the code (generating or checking migrations, collecting static
# files) need no secrets: they run in image builds and pre-commit checks where none exist, and
# get throwaway values that live as long as the process. Every process that serves requests,
# runs tasks or touches data still refuses to start without real secrets.
CODE_ONLY_COMMANDS = frozenset({"makemigrations", "collectstatic"})
_CODE_ONLY = Path(sys.argv[0]).name == "manage.py" and sys.argv[1:2] in (
    [name] for name in CODE_ONLY_COMMANDS
)

_DEV_SECRET = "django-insecure-development-only-never-in-production"  # noqa: S105 (DEBUG only)
SECRET_KEY = env_str("SECRET_KEY", _DEV_SECRET if DEBUG else environ.Env.NOTSET)
if SECRET_KEY is environ.Env.NOTSET:
    if not _CODE_ONLY:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# --- applications -------------------------------------------------------------------------

INSTALLED_APPS = [
    "accounts.apps.CfsjAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "axes",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "template_partials",
    "accounts",
    "audit",
    "cases",
    "referrals",
    "safetynet",
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
    "accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # After authentication: it needs request.user to know the page is a signed-in one.
    "accounts.middleware.NoStoreMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    # After authentication and the session timeout: a signed-in user without a second factor
    # is sent to enrolment from every URL, the admin included.
    "accounts.middleware.MfaRequiredMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # The current request for audit entries written outside views (denied attempts).
    "audit.middleware.RequestContextMiddleware",
    # Last, so that a lockout raised by any authentication path becomes the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "cfsj.urls"
WSGI_APPLICATION = "cfsj.wsgi.application"

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
                "cfsj.context_processors.site",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# --- data ---------------------------------------------------------------------------------

DATABASES = {
    "default": _env.db_url_config(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", 60, minimum=0))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Access log and change history are kept this many years (issue 5: at least one, by default six).
# purge_audit never removes anything younger than one year, whatever this says.
CFSJ_AUDIT_RETENTION_YEARS = env_int("CFSJ_AUDIT_RETENTION_YEARS", 6, minimum=0)
# "Unusual volume" on the audit review (audit.selectors.unusual_volume): a user whose distinct
# records read in the window exceed FACTOR times their daily median over the baseline days and
# the FLOOR as well (a median of 2 should not flag a morning of 7 reads).
CFSJ_UNUSUAL_WINDOW_HOURS = env_int("CFSJ_UNUSUAL_WINDOW_HOURS", 24, minimum=1)
CFSJ_UNUSUAL_BASELINE_DAYS = env_int("CFSJ_UNUSUAL_BASELINE_DAYS", 30, minimum=1)
CFSJ_UNUSUAL_FACTOR = env_int("CFSJ_UNUSUAL_FACTOR", 3, minimum=1)
CFSJ_UNUSUAL_FLOOR = env_int("CFSJ_UNUSUAL_FLOOR", 25, minimum=1)
# Where the access log's chain head is appended every few minutes (audit.heads), so that deleting
# the newest rows is detected by verify_audit. Put it on storage the database owner cannot
# rewrite (another host, a write-once volume); "-" to publish only to the log collector.
CFSJ_AUDIT_HEAD_FILE = env_str("CFSJ_AUDIT_HEAD_FILE", str(BASE_DIR / "var" / "audit-heads.log"))
if CFSJ_AUDIT_HEAD_FILE == "-":
    CFSJ_AUDIT_HEAD_FILE = ""

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "cfsj",
        }
    }
else:
    # One process only: rate limits and axes counters are per process without Redis.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- users, sign-in, sessions ----------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_URL_PATH = "/accounts/login/"  # for middleware that answers before URL reversing is cheap
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.SignInForm"}
# The system-use notice shown on the sign-in page and acknowledged before sign-in. A setting for
# now; it becomes reference data an administrator edits with the department settings.
CFSJ_SIGN_IN_NOTICE = env_str(
    "CFSJ_SIGN_IN_NOTICE",
    "This is a criminal-justice and social-services information system of the department, for "
    "authorised use only. Activity on it is monitored and recorded; every record opened is "
    "logged. Unauthorised use or disclosure may lead to discipline and prosecution. By signing "
    "in you consent to this monitoring.",
)
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["email", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"  # administrators create accounts and set their addresses
# A password change signs the user out everywhere (accounts.adapters ends every session too).
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
# A reset link must never sign anyone in: the second factor is asked at the next sign-in.
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Password and e-mail changes ask for the password again (allauth's MFA pages always do).
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_SESSION_REMEMBER = False  # a shared station must not keep a session past the browser
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_RATE_LIMITS = {
    # The per-username lockout is axes' job (5 failures, 30 minutes); this is the rule against
    # password spraying: many failures from one address across usernames.
    "login_failed": f"{env_int('CFSJ_ADDRESS_FAILURE_LIMIT', 20, minimum=1)}/30m/ip",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("CFSJ_TRUSTED_PROXY_COUNT", 0, minimum=0)
CFSJ_TRUSTED_PROXY_COUNT = ALLAUTH_TRUSTED_PROXY_COUNT

# Second factor (issue 5): TOTP with recovery codes. WebAuthn would need allauth's inline JSON
# script, which the CSP refuses; not taken for now (fido2 is installed only because allauth.mfa
# imports it). accounts.middleware.MfaRequiredMiddleware
# sends a signed-in user without an authenticator to enrolment; it may be off only in the local
# demo (DEBUG on), and production refuses to start with it off.
CFSJ_MFA_REQUIRED = env_bool("CFSJ_MFA_REQUIRED", True)
if not CFSJ_MFA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured(
        "CFSJ_MFA_REQUIRED may be off only with DEBUG on (the local demo): every user of a "
        "production server signs in with a second factor."
    )
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# allauth refuses a second factor while an address is unverified, against self sign-up squatters.
# Here administrators create every account and addresses are not verified (no sign-up), so that
# rule would lock everyone out of enrolment and out of changing their address.
MFA_ALLOW_UNVERIFIED_EMAIL = True
MFA_RECOVERY_CODE_COUNT = 10
MFA_TOTP_TOLERANCE = 1  # one 30-second step either side, for phone clocks that drift
MFA_TRUST_ENABLED = False  # a shared station must not skip the code next time
MFA_ADAPTER = "accounts.adapters.MfaAdapter"
USERSESSIONS_ADAPTER = "accounts.adapters.UserSessionsAdapter"
# Off: tracking writes the session's row on every request; the list shows when each began.
USERSESSIONS_TRACK_ACTIVITY = False

# Person search per signed-in user (cfsj.lib.ratelimit: "count/period", period s, m, h or d).
# Exports will get their own scope and rate through the same helper.
CFSJ_SEARCH_RATE = parse_rate_setting("CFSJ_SEARCH_RATE", env_str("CFSJ_SEARCH_RATE", "30/m"))
# Exports (CSV) and prints (case summaries, PDF) per signed-in user, through the same helper.
CFSJ_EXPORT_RATE = parse_rate_setting("CFSJ_EXPORT_RATE", env_str("CFSJ_EXPORT_RATE", "10/h"))
# Accounts unused this many days are disabled by a nightly job (issue 5, CJIS: 90 days).
CFSJ_INACTIVE_DAYS = env_int("CFSJ_INACTIVE_DAYS", 90, minimum=1)

AXES_FAILURE_LIMIT = env_int("CFSJ_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CFSJ_LOCKOUT_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
# Thirty minutes from the lockout, not from the last try: a user who retries is not punished longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "account/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "cfsj.lib.http.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_VERBOSE = False

SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30, minimum=1))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_ABSOLUTE_HOURS", 12, minimum=1))
# The server-side row expires with the idle window too, so an abandoned session is unusable
# even if the middleware were bypassed.
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# --- HTTPS and headers (TLS ends at the proxy in front of gunicorn) ----------------------------

CFSJ_HTTPS = env_bool("CFSJ_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = CFSJ_HTTPS
SESSION_COOKIE_SECURE = CFSJ_HTTPS
CSRF_COOKIE_SECURE = CFSJ_HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if CFSJ_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = CFSJ_HTTPS
SECURE_HSTS_PRELOAD = env_bool("CFSJ_HSTS_PRELOAD", CFSJ_HTTPS)
if env_bool("CFSJ_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if CFSJ_HTTPS:
    # __Host- cookies are refused by browsers unless Secure, Path=/ and without Domain: a sibling
    # subdomain can then neither set nor shadow them. Plain HTTP (the local trial, tests) cannot
    # use the prefix, since the cookie would not be Secure.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_PATH = "/"
    CSRF_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    CSRF_COOKIE_DOMAIN = None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# django-csp 4. There are no inline scripts or styles, so no 'unsafe-inline'; NONCE is there for
# an inline script that may one day be unavoidable (``<script nonce="{{ CSP_NONCE }}">``), and
# is only sent when a page uses it. Bootstrap's CSS draws its form and close icons as data: SVGs.
# htmx is told by a <meta name="htmx-config"> in base.html not to inject its indicator <style>.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
SILENCED_SYSTEM_CHECKS = [
    # Our own ordering-independent IP callable is used; axes warns about its ipware defaults.
    "axes.W006",
]

# --- i18n, static ---------------------------------------------------------------------------

LANGUAGE_CODE = "en-us"
LANGUAGES = [("en", _("English"))]
TIME_ZONE = env_str("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("CFSJ_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- e-mail ----------------------------------------------------------------------------------

vars().update(_env.email_url_config(env_str("EMAIL_URL", "consolemail://")))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cfsj@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- background work ---------------------------------------------------------------------------

CELERY_DATA_DIR = BASE_DIR / "var" / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # The local trial runs a real worker without a broker server: kombu's filesystem transport.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_DATA_DIR / "queue"),
        "data_folder_out": str(CELERY_DATA_DIR / "queue"),
        "processed_folder": str(CELERY_DATA_DIR / "processed"),
        "control_folder": str(CELERY_DATA_DIR / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = f"file://{CELERY_DATA_DIR / 'results'}"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TIMEZONE = TIME_ZONE
# Every periodic schedule lives here, in one place (STYLE.md, habit 7).
CELERY_BEAT_SCHEDULE: dict = {
    "publish-audit-head": {
        "task": "audit.tasks.publish_audit_head",
        "schedule": timedelta(minutes=10),
    },
    "disable-inactive-accounts": {
        "task": "accounts.tasks.disable_inactive_accounts",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Break-the-glass (cases.breakglass): how many hours a reasoned access to a case outside one's
# units and teams stays open.
CFSJ_BREAK_GLASS_HOURS = env_int("CFSJ_BREAK_GLASS_HOURS", 8, minimum=1)

# --- encryption at rest ----------------------------------------------------------------------

# Fernet keys for narratives and clinical text (cfsj.lib.fields), newest first; never derived from
# SECRET_KEY. Required when DEBUG is off; rotation is described in docs/deployment.md.
CFSJ_FIELD_KEYS = field_keys(
    env_list("CFSJ_FIELD_KEYS", [])
    or ([Fernet.generate_key().decode()] if _CODE_ONLY and not DEBUG else []),
    debug=DEBUG,
)

# --- the department (reference data an administrator edits arrives with its issue) -----------

CFSJ_DEPARTMENT_NAME = env_str("CFSJ_DEPARTMENT_NAME", "Cambridge Police Department")
# The name an authenticator app shows beside the code.
MFA_TOTP_ISSUER = CFSJ_DEPARTMENT_NAME or "cfsj"
CFSJ_DEMO_PASSWORD = env_str("CFSJ_DEMO_PASSWORD", "demo-password-change-me")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Request lines can carry search terms (names) in their query strings: keep them out.
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "axes": {"level": "WARNING"},
    },
}
