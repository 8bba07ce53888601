"""Django settings for Hiraku.

Every value that differs between the embedded default (SQLite, local files, Huey on SQLite)
and the production profile (PostgreSQL, S3-compatible storage, Huey on Redis) is read from the
environment here, and only here. See docs/deploy.md.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("HIRAKU_DATA_DIR", Path.cwd() / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("HIRAKU_DEBUG", "") == "1"
SECRET_KEY = (
    os.environ.get("HIRAKU_SECRET_KEY") or "hiraku-embedded-default-change-me-in-production"
)
ALLOWED_HOSTS = [
    h
    for h in os.environ.get("HIRAKU_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h
]
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("HIRAKU_CSRF_TRUSTED_ORIGINS", "").split(",") if o
]
SITE_URL = os.environ.get("HIRAKU_SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "huey.contrib.djhuey",
    "hiraku.catalog",
    "hiraku.accounts",
    "hiraku.search",
    "hiraku.ingest",
    "hiraku.datastore",
    "hiraku.privacy",
    "hiraku.api",
    "hiraku.web",
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
]

ROOT_URLCONF = "hiraku.urls"
WSGI_APPLICATION = "hiraku.wsgi.application"

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
                "hiraku.web.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'hiraku.sqlite3'}",
        conn_max_age=int(os.environ.get("HIRAKU_DB_CONN_MAX_AGE", "60")),
    )
}
if os.environ.get("HIRAKU_TEST_DB_NAME"):
    # Test runs on a shared PostgreSQL server each use their own throw-away database.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["HIRAKU_TEST_DB_NAME"]}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server read while the ingest worker writes; the timeout covers the
    # short moments when both want to write.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        # mmap and a 64 MiB page cache per connection keep catalogue searches off read()
        # syscalls; temporary sort/group B-trees stay in memory.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA mmap_size=268435456;"
            " PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY;"
        ),
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# Files: local folder by default; any S3-compatible store when HIRAKU_S3_BUCKET is set.
if os.environ.get("HIRAKU_S3_BUCKET"):
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["HIRAKU_S3_BUCKET"],
            "endpoint_url": os.environ.get("HIRAKU_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("HIRAKU_S3_REGION") or None,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT)},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads go to a temporary file early so a 1 GiB upload never sits in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp")
Path(FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

# Background work: Huey on SQLite by default, on Redis when HIRAKU_REDIS_URL is set.
_redis_url = os.environ.get("HIRAKU_REDIS_URL", "")
HUEY = {
    "name": os.environ.get("HIRAKU_QUEUE_NAME", "hiraku"),
    "immediate": os.environ.get("HIRAKU_QUEUE_IMMEDIATE", "") == "1",
    "utc": True,
    "consumer": {
        "workers": int(os.environ.get("HIRAKU_QUEUE_WORKERS", "1")),
        "worker_type": "thread",
    },
}
if _redis_url:
    HUEY.update({"huey_class": "huey.RedisHuey", "url": _redis_url})
else:
    HUEY.update({"huey_class": "huey.SqliteHuey", "filename": str(DATA_DIR / "queue.sqlite3")})

# Hiraku's own settings. Read them through hiraku.conf.setting(), never directly.
HIRAKU = {
    "MAX_UPLOAD_SIZE": int(os.environ.get("HIRAKU_MAX_UPLOAD_SIZE", str(1024**3))),
    "SITE_TITLE": os.environ.get("HIRAKU_SITE_TITLE", "Hiraku オープンデータ"),
    "SITE_TITLE_EN": os.environ.get("HIRAKU_SITE_TITLE_EN", "Hiraku Open Data"),
    "CITY_NAME": os.environ.get("HIRAKU_CITY_NAME", "会津若松市"),
    "CITY_NAME_EN": os.environ.get("HIRAKU_CITY_NAME_EN", "Aizu-Wakamatsu City"),
    "CITY_CODE": os.environ.get("HIRAKU_CITY_CODE", "072028"),
    "DEFAULT_LICENSE": "cc-by-4.0",
    "API_ROWS_MAX": 1000,
    "SQL_TIME_LIMIT_MS": int(os.environ.get("HIRAKU_SQL_TIME_LIMIT_MS", "5000")),
    "SQL_ROW_CAP": int(os.environ.get("HIRAKU_SQL_ROW_CAP", "32000")),
    "DATASTORE_DIR": os.environ.get("HIRAKU_DATASTORE_DIR", str(DATA_DIR / "datastore")),
    # Data API hot cache (hiraku/datastore/hotcache.py, docs/datastore.md): tables of at least
    # MIN_ROWS rows are kept in memory as Arrow up to TABLES_BYTES in all (0 turns it off);
    # filter positions and sorted orders share POSITIONS_BYTES. Per gunicorn worker.
    "DATASTORE_HOT_MIN_ROWS": int(os.environ.get("HIRAKU_DATASTORE_HOT_MIN_ROWS", "50000")),
    "DATASTORE_HOT_TABLES_BYTES": int(
        os.environ.get("HIRAKU_DATASTORE_HOT_TABLES_BYTES", str(2 * 1024**3))
    ),
    "DATASTORE_HOT_POSITIONS_BYTES": int(
        os.environ.get("HIRAKU_DATASTORE_HOT_POSITIONS_BYTES", str(256 * 1024**2))
    ),
    # Encoded datastore_search answers kept per web worker for repeated questions (0: off).
    "DATASTORE_RESULT_CACHE_BYTES": int(
        os.environ.get("HIRAKU_DATASTORE_RESULT_CACHE_BYTES", str(64 * 1024**2))
    ),
    "MAP_TILE_URL": os.environ.get(
        "HIRAKU_MAP_TILE_URL", "https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png"
    ),
    "MAP_TILE_ATTRIBUTION": os.environ.get("HIRAKU_MAP_TILE_ATTRIBUTION", "地理院タイル"),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("HIRAKU_LOG_LEVEL", "WARNING")},
    "loggers": {"hiraku": {"level": os.environ.get("HIRAKU_LOG_LEVEL", "INFO")}},
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
