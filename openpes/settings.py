"""OpenPES settings: one module, configured only by environment variables.

Read `docs/deploy.md` for the variables. Bad values stop start-up with a message naming the variable.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from openpes.lib.env import EnvError, env_bool, env_choice, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("OPENPES_VAR_DIR", str(BASE_DIR / "var")))

# development: the embedded demo; production: a real deployment; test: the test suite.
ENV = env_choice("OPENPES_ENV", "development", {"development", "production", "test"})
PRODUCTION = ENV == "production"
TESTING = ENV == "test"
DEBUG = env_bool("OPENPES_DEBUG", ENV == "development")
if PRODUCTION and DEBUG:
    raise EnvError("OPENPES_DEBUG must not be on when OPENPES_ENV=production.")

if PRODUCTION:
    SECRET_KEY = env_str("OPENPES_SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise EnvError("OPENPES_SECRET_KEY must be at least 50 characters with at least 5 distinct ones.")
else:
    SECRET_KEY = env_str("OPENPES_SECRET_KEY", "insecure-development-key-not-for-production-use-0123456789")

ALLOWED_HOSTS = env_list("OPENPES_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise EnvError("OPENPES_ALLOWED_HOSTS is required when OPENPES_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("OPENPES_CSRF_TRUSTED_ORIGINS", [])
SITE_URL = env_str("OPENPES_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "openpes.lib",
    "openpes.audit",
    "openpes.privacy",
    "openpes.geography",
    "openpes.centres",
    "openpes.accounts",
    "openpes.taxonomy",
    "openpes.notifications",
    "openpes.jobseekers",
    "openpes.employers",
    "openpes.vacancies",
    "openpes.applications",
    "openpes.training",
    "openpes.cases",
    "openpes.matching",
    "openpes.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "openpes.lib.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "openpes.accounts.middleware.KhmerFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "openpes.accounts.middleware.SessionLimitsMiddleware",
    "openpes.accounts.middleware.UserLanguageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "openpes.accounts.middleware.StaffSecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "openpes.lib.middleware.PrivateCacheMiddleware",
    "openpes.lib.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "openpes.urls"
WSGI_APPLICATION = "openpes.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "openpes" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "openpes.lib.context_processors.site",
                "openpes.accounts.navigation.navigation",
            ],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

# Database: embedded SQLite (WAL, busy timeout, immediate transactions) unless DATABASE_URL says otherwise.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'openpes.sqlite3'}")
try:
    _db = dj_database_url.parse(DATABASE_URL, conn_max_age=0 if TESTING else 60, conn_health_checks=True)
except (ValueError, KeyError) as exc:
    raise EnvError(f"DATABASE_URL is not a database URL we understand: {exc}") from None
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=20000;"
        ),
    }
    _db["CONN_MAX_AGE"] = 0
elif _db["ENGINE"] == "django.db.backends.postgresql":
    _db.setdefault("OPTIONS", {})
    _db["TEST"] = {"NAME": env_str("OPENPES_TEST_DATABASE_NAME", f"test_{_db['NAME']}")}
else:
    raise EnvError("DATABASE_URL must point at SQLite or PostgreSQL.")
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: shared between processes by default (allauth rate limits and lockouts rely on it).
_cache = env_choice("OPENPES_CACHE", "locmem" if TESTING else "database", {"database", "locmem"})
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "openpes_cache"}
        if _cache == "database"
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: sign in with a phone number or an e-mail address.
ACCOUNT_ADAPTER = "openpes.accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
# Either a phone number or an e-mail address is enough (SignupExtraForm checks one is given), so neither is
# "required" in allauth's sense and its cross-check warning does not apply.
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_SIGNUP_FORM_CLASS = "openpes.accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_PHONE_VERIFICATION_ENABLED = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_RATE_LIMITS = {
    # S5: at most 6 failed sign-ins per account (and IP) per 15 minutes.
    "login_failed": "30/15m/ip,6/15m/key",
    "login": "60/m/ip",
    "signup": "20/h/ip",
    "reset_password": "20/h/ip,5/h/key",
    "reset_password_from_key": "20/h/ip",
    "confirm_email": "1/3m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "OpenPES"
# Accept the code of the previous or next 30-second step too (RFC 6238 §5.2): cheap phones' clocks drift, and a
# code typed as the step turns over is still good. Each code is still accepted only once.
MFA_TOTP_TOLERANCE = 1

# Sessions (S7): staff idle 30 minutes, absolute 12 hours; everyone else 14 days.
SESSION_COOKIE_AGE = 14 * 24 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
STAFF_SESSION_IDLE_SECONDS = env_int("OPENPES_STAFF_SESSION_IDLE_SECONDS", 30 * 60, minimum=60)
STAFF_SESSION_ABSOLUTE_SECONDS = env_int("OPENPES_STAFF_SESSION_ABSOLUTE_SECONDS", 12 * 3600, minimum=600)
# S6: staff must verify a second factor before reaching personal data. The embedded demo may turn it off.
STAFF_REQUIRE_2FA = env_bool("OPENPES_STAFF_REQUIRE_2FA", ENV != "development")

# Internationalisation: Khmer first, English always.
LANGUAGE_CODE = "km"
LANGUAGES = [("km", _("Khmer")), ("en", _("English"))]
# Our own strings first, then Khmer for Django and allauth strings their catalogues lack.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
LANGUAGE_COOKIE_NAME = "openpes_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
TIME_ZONE = "Asia/Phnom_Penh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["openpes.formats"]

# Static files: our own, plus front-end packages installed by npm from package-lock.json.
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "openpes" / "static",
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/fonts/noto-sans-khmer", BASE_DIR / "node_modules" / "@fontsource" / "noto-sans-khmer" / "files"),
]
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
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
# Uploaded files (CVs, attachments) are private: stored outside the web root, never served by URL.
MEDIA_ROOT = Path(env_str("OPENPES_MEDIA_ROOT", str(VAR_DIR / "private")))
MEDIA_URL = "/_private/"  # no URL pattern serves it: files go out only through views that check access
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Background work: Django's Tasks API (django-tasks backport) with a database queue and `manage.py db_worker`.
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env_choice("OPENPES_TASKS", "immediate" if TESTING else "database", {"database", "immediate"})
            == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# S15: jobseeker records with no activity (events, sign-ins, applications, casework) for this long are
# anonymised by the daily retention task (openpes/privacy/tasks.py). Five years by default.
RETENTION_DAYS = env_int("OPENPES_RETENTION_DAYS", 5 * 365, minimum=30)

# E-mail: printed to the console unless an SMTP server is configured.
EMAIL_URL = env_str("OPENPES_EMAIL_HOST", "")
if EMAIL_URL:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = EMAIL_URL
    EMAIL_PORT = env_int("OPENPES_EMAIL_PORT", 587, minimum=1, maximum=65535)
    EMAIL_HOST_USER = env_str("OPENPES_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = env_str("OPENPES_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = True
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = env_str("OPENPES_FROM_EMAIL", "OpenPES <noreply@openpes.invalid>")

# Security headers (S1, S2).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie; kept default for forms
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("OPENPES_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("OPENPES_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "openpes.lib.middleware.RequestIdLogFilter"},
        "redact": {"()": "openpes.lib.logging.RedactFilter"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id", "redact"]}
    },
    "root": {"handlers": ["console"], "level": env_choice("OPENPES_LOG_LEVEL", "INFO", {"DEBUG", "INFO", "WARNING"})},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# Where the official ESCO CSV downloads are looked for by `make run` and the tests.
ESCO_DIR = Path(env_str("OPENPES_ESCO_DIR", str(BASE_DIR.parent / "shared" / "data" / "esco-v1.1.1")))
