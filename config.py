"""Configuration read from environment variables.

`Config` is for development and the embedded SQLite demo; `ProductionConfig` refuses to start
without a real SECRET_KEY; `TestingConfig` is what the test suite uses.
"""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

_DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - a development placeholder, refused in production


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'tracker.sqlite3'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    TRACKER_TIMEZONE = os.environ.get("TRACKER_TIMEZONE", "Asia/Jakarta")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    MAX_UPLOAD_MB = int(os.environ.get("MAX_UPLOAD_MB", "25"))

    # Mail: the names Flask users know. Without MAIL_SERVER mails go to MAIL_FOLDER and the console.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "tracker@localhost")
    MAIL_TIMEOUT = int(os.environ.get("MAIL_TIMEOUT", "30"))
    MAIL_FOLDER = os.environ.get("MAIL_FOLDER", str(INSTANCE_DIR / "mail"))
    # Sender of the reminder digests (default: MAIL_DEFAULT_SENDER).
    REMINDER_SENDER = os.environ.get("REMINDER_SENDER", "")
    # The address people open the app at, for links in mails (e.g. https://tracker.example.ac.id).
    BASE_URL = os.environ.get("BASE_URL", "")

    # Follow-up deadline: received + this many days unless the evaluation says otherwise.
    DEFAULT_FOLLOWUP_DAYS = int(os.environ.get("DEFAULT_FOLLOWUP_DAYS", "60"))
    # Predikat: is a total equal to a lower bound in the higher band? (domain.md: default no)
    PREDIKAT_LOWER_BOUND_INCLUSIVE = _bool("PREDIKAT_LOWER_BOUND_INCLUSIVE")

    # Login throttling: after this many failures within the window, refuse further tries.
    LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
    LOGIN_WINDOW_MINUTES = int(os.environ.get("LOGIN_WINDOW_MINUTES", "15"))

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE")
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = TRACKER_TIMEZONE
    LANGUAGES = ("id", "en")
    BOOTSTRAP_SERVE_LOCAL = True  # no CDN: Bootstrap's files come from the app itself
    PER_PAGE = 20


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = _bool("SESSION_COOKIE_SECURE", True)

    @classmethod
    def check(cls) -> None:
        if cls.SECRET_KEY in ("", _DEV_SECRET) or len(cls.SECRET_KEY) < 16:
            raise RuntimeError("SECRET_KEY must be set to a long random value in production")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = True
    LOGIN_MAX_FAILURES = 5
    ARGON2_PARAMETERS = {"time_cost": 1, "memory_cost": 1024, "parallelism": 1}


def config_from_env() -> type[Config]:
    name = os.environ.get("TRACKER_CONFIG", "development").lower()
    return {"production": ProductionConfig, "testing": TestingConfig}.get(name, Config)
