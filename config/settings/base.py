"""Production-safe settings: nothing insecure by default, secrets have no default."""

import datetime

from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

from config.env import BASE_DIR, env, mailer_from_env, require_production_variables
from config.storage import origin, s3_storages
from ops import logs, sentry

require_production_variables()

SECRET_KEY = env.str("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
# Demo accounts' passwords printed once by `load_demo` (never in production).
SHOW_DEMO_CREDENTIALS = env.bool("SHOW_DEMO_CREDENTIALS", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "config",
    "accounts",
    "territoires",
    "catalogue",
    "search",
    "prescription",
    "fiche_relais",
    "actualisation",
    "saved_searches",
    "partage",
    "notifications",
    "pages",
    "ops",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "dsfr",
    "widget_tweaks",
    "django_filters",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.forms",
]

MIDDLEWARE = [
    "ops.logs.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files (DSFR, ours) from gunicorn itself: compressed, hashed names cached for ever.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "config.sessions.SessionLimitsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "config.context_processors.csp_nonce",
                "django.contrib.messages.context_processors.messages",
                "dsfr.context_processors.site_config",
            ],
            "builtins": ["config.french"],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# A worker keeps its connection between requests (a new one per request cost a search a
# quarter of its time: connecting, then reading the schema again).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=300)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default: a write-ahead log, so that a commit (an unmet need recorded by a
    # search) does not wait for the disk (27 ms under load) and readers never wait for writers.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out e-mail and address first
    "django.contrib.auth.backends.ModelBackend",
    "accounts.proconnect.ProConnectBackend",
    "accounts.backends.StructureMemberBackend",
]
LOGIN_URL = "accounts:login"
# ProConnect (OpenID Connect): PROCONNECT_URL is the provider's base, for example
# https://fca.integ01.dev-agentconnect.fr/api/v2 (integration) — its issuer; empty: e-mail login only.
PROCONNECT_URL = env("PROCONNECT_URL", default="").rstrip("/")
OIDC_RP_CLIENT_ID = env("PROCONNECT_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env("PROCONNECT_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROCONNECT_URL}/authorize"
OIDC_OP_TOKEN_ENDPOINT = f"{PROCONNECT_URL}/token"
OIDC_OP_USER_ENDPOINT = f"{PROCONNECT_URL}/userinfo"
OIDC_OP_JWKS_ENDPOINT = f"{PROCONNECT_URL}/jwks"
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email given_name usual_name siret uid"
OIDC_STORE_ID_TOKEN = True  # ProConnect's end of session needs it
OIDC_OP_LOGOUT_URL_METHOD = "accounts.proconnect.logout_url"
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:proconnect_callback"
# Login throttling: 5 failures for one e-mail from one address lock them out for 15 minutes
# (attempts in the database: every worker and server sees them; that e-mail from elsewhere
# still logs in).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "config.network.client_address"  # behind TRUSTED_PROXY_COUNT proxies
AXES_USERNAME_FORM_FIELD = "username"  # the login form's field (holding the e-mail)
AXES_LOCKOUT_TEMPLATE = "accounts/verrouille.html"
AXES_RESET_ON_SUCCESS = True
# Login attempts and logs (e-mail typed, client address) are deleted after this many days
# (accounts/connexions.py; stated in the register of processing).
LOGIN_ATTEMPTS_RETENTION_DAYS = env.int("LOGIN_ATTEMPTS_RETENTION_DAYS", default=30)
AXES_VERBOSE = False
LOGIN_REDIRECT_URL = "accounts:espace"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "static_collected")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
# Personal files (prescription attachments): outside the web root, served only through views.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # `collectstatic` writes each file under a hashed name, gzip copies beside it.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
}
# S3-compatible object storage for both when S3_BUCKET is set (see config/storage.py).
S3_ORIGINS = []  # where signed media URLs point (the page's images)
if env.str("S3_BUCKET", default=""):
    STORAGES |= s3_storages(env)
    S3_ORIGINS = [origin(env.str("S3_ENDPOINT_URL"))]
# Wagtail's documents are streamed by its view (privacy checked), never sent by URL.
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# Shared by every worker and server (the search API's counters): the database's table by
# default (created by `migrate`), Redis with CACHE_URL=redis://host:6379/0 (django-redis).
CACHES = {"default": env.cache("CACHE_URL", default="dbcache://portail_cache")}

# E-mail: EMAIL_URL (smtp://user:password@host:587, smtp+tls://…, smtp+ssl://…) or the EMAIL_HOST,
# EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS / EMAIL_USE_SSL variables.
MAILERS = {"default": mailer_from_env()}
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Portail SPIE <ne-pas-repondre@spie.example>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks (Django's tasks API). Ours (e-mails, digests) go to the `worker` backend:
# rows in the database (django-tasks-db) that `manage.py worker` runs, with retries
# (config/mail.py). `default` stays Wagtail's: its own tasks (reference index, renditions) run
# in the request, as before.
TASKS = {
    "default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "worker": {
        "BACKEND": env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default", "mail"],
    },
}

SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
# A session ends after this long unused, and this long after the login however active
# (config/sessions.py); the cookie does not outlive the absolute lifetime.
SESSION_IDLE_TIMEOUT = 60 * env.int("SESSION_IDLE_MINUTES", default=30)  # seconds
SESSION_ABSOLUTE_LIFETIME = 3600 * env.int("SESSION_ABSOLUTE_HOURS", default=12)  # seconds
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the platform's probe speaks plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
if env.bool("BEHIND_TLS_PROXY", default=False):  # the proxy terminates TLS and says so
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Reverse proxies in front of the portal, each appending to X-Forwarded-For (0: none, the
# client's address is REMOTE_ADDR). More than there are lets a client choose its address.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Wagtail's page previews are framed by the admin: same origin, not DENY.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
# Scripts: our files and the ones carrying the request's nonce; nothing inline otherwise.
# Wagtail's admin still writes inline scripts: it is left out of the policy (staff only).
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "https://tile.openstreetmap.org", *S3_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [SELF],
    },
}

WAGTAIL_SITE_NAME = "Portail de l'offre d'insertion"
WAGTAILADMIN_BASE_URL = env.str("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_ENABLE_UPDATE_CHECK = False
# An account's address changes only through « Mon espace », confirmed from the new address
# (accounts/adresse.py): Wagtail's account page would change it unverified.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]

# Prescriptions: the structure's answer link stays valid this long (a new one can be asked for);
# personal data is anonymised this long after a prescription is closed.
PRESCRIPTION_LINK_DAYS = env.int("PRESCRIPTION_LINK_DAYS", default=8)
PRESCRIPTION_RETENTION_MONTHS = env.int("PRESCRIPTION_RETENTION_MONTHS", default=24)

# Invitation links to join a structure stay valid this long.
INVITATION_MAX_AGE_DAYS = env.int("INVITATION_MAX_AGE_DAYS", default=14)

# Imports: a full export (`--export-complet`) suspends at most this share of a source's published
# structures or services; beyond, nothing of that source is suspended unless `--force`.
IMPORT_MAX_SUSPENDED_SHARE = env.float("IMPORT_MAX_SUSPENDED_SHARE", default=0.2)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ops.logs.RequestIdFilter"}},
    # LOG_FORMAT: "json" (one object a line: time, level, logger, message, request_id) or "text".
    "formatters": {"main": logs.formatter(env.str("LOG_FORMAT", default="json"))},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "main",
            "filters": ["request_id"],
        },
    },  # fmt: skip
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Wagtail reports every page edit and background task at INFO: too chatty for a console.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # The tasks worker says at INFO each time it starts a batch (every loop of the worker).
        "django_tasks_db": {"level": "WARNING"},
        # The Elasticsearch client logs every request at INFO.
        "elastic_transport": {"level": "WARNING"},
        # fpdf2 subsets the PDF font with fontTools, which logs each step at INFO.
        "fontTools": {"level": "WARNING"},
    },
}

# Error tracking: Sentry when SENTRY_DSN is set, personal data removed (ops/sentry.py).
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    sentry.init(SENTRY_DSN, env.str("SENTRY_ENVIRONMENT", default="production"),
                release=env.str("SENTRY_RELEASE", default=""))  # fmt: skip

# /healthz reports the worker as failing when its last sign of life is older (seconds).
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=300)

# Search: `elasticsearch` in production and tests, `database` (embedded) for `make run`.
SEARCH_BACKEND = env.str("SEARCH_BACKEND", default="elasticsearch")
# One node's URL, or a cluster's nodes separated by commas (a request failing on one node,
# timeouts included, is retried on the others). Credentials: an API key, or a user and password;
# a CA certificate (PEM file) for https with a private authority.
ELASTICSEARCH_URL = env.str("ELASTICSEARCH_URL", default="http://127.0.0.1:9200")
ELASTICSEARCH_API_KEY = env.str("ELASTICSEARCH_API_KEY", default="")
ELASTICSEARCH_USERNAME = env.str("ELASTICSEARCH_USERNAME", default="")
ELASTICSEARCH_PASSWORD = env.str("ELASTICSEARCH_PASSWORD", default="")
ELASTICSEARCH_CA_CERTS = env.str("ELASTICSEARCH_CA_CERTS", default="")
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=5.0)
# The index's primary shards and the copies of each on other nodes (0 on a single node).
ELASTICSEARCH_SHARDS = env.int("ELASTICSEARCH_SHARDS", default=1)
ELASTICSEARCH_REPLICAS = env.int("ELASTICSEARCH_REPLICAS", default=0)
SEARCH_INDEX_ALIAS = env.str("SEARCH_INDEX_ALIAS", default="portail-services")
# False: Elasticsearch is fed by the `search_sync --loop` worker only (see search/sync.py).
SEARCH_SYNC_AFTER_COMMIT = env.bool("SEARCH_SYNC_AFTER_COMMIT", default=True)
# Requests a minute per client address on GET /api/v1/search/services (0: no limit).
SEARCH_API_RATE_LIMIT = env.int("SEARCH_API_RATE_LIMIT", default=300)
# « Signaler une erreur » on a service page: reports an hour per client address (0: no limit).
ERROR_REPORT_RATE_LIMIT = env.int("ERROR_REPORT_RATE_LIMIT", default=5)
# E-mails an hour telling someone about services (« Partager », a selection sent; partage/): per
# professional, and per client address for visitors not logged in (0: they may not send).
SHARE_RATE_LIMIT_PROFESSIONAL = env.int("SHARE_RATE_LIMIT_PROFESSIONAL", default=30)
SHARE_RATE_LIMIT_ANONYMOUS = env.int("SHARE_RATE_LIMIT_ANONYMOUS", default=5)

# Fiches relais: the coordination is alerted when nobody took over after this many days, and the
# parcours is flagged « risque de rupture » after that many.
FICHE_RELAIS_ALERT_DAYS = env.int("FICHE_RELAIS_ALERT_DAYS", default=7)
FICHE_RELAIS_RUPTURE_DAYS = env.int("FICHE_RELAIS_RUPTURE_DAYS", default=15)

# Geocoding of addresses without coordinates: "communes" (offline, the commune's town hall) or
# "ban" (an address search service with the BAN's API, falling back to the commune).
GEOCODER = env.str("GEOCODER", default="communes")
GEOCODER_TIMEOUT = env.float("GEOCODER_TIMEOUT", default=3.0)
# Its full search URL, used as given: the IGN Géoplateforme's by default; the BAN's is
# https://api-adresse.data.gouv.fr/search/ (or a self-hosted addok's).
GEOCODER_URL = env.str("GEOCODER_URL", default="https://data.geopf.fr/geocodage/search")
