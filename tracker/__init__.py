"""tracker: follow-up of SAKIP/AKIP evaluation recommendations."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, has_request_context, render_template, session
from flask_login import current_user

from config import BASE_DIR, Config, ProductionConfig, config_from_env
from tracker.extensions import babel, bootstrap, csrf, db, login_manager, migrate

PACKAGE_DIR = Path(__file__).resolve().parent


def create_app(config: type[Config] | dict | None = None) -> Flask:
    """Build the application. `config` is a config class, a dict of overrides, or None (env)."""
    app = Flask(
        __name__,
        template_folder=str(BASE_DIR / "templates"),
        instance_path=str(BASE_DIR / "instance"),
    )
    if isinstance(config, dict):
        app.config.from_object(config_from_env())
        app.config.update(config)
    else:
        config_class = config or config_from_env()
        if issubclass(config_class, ProductionConfig):
            config_class.check()
        app.config.from_object(config_class)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(PACKAGE_DIR / "translations"))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith(("mysql", "mariadb")):
        # Read committed, as on PostgreSQL: a long transaction sees others' committed work.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
            "isolation_level": "READ COMMITTED",
        }
    app.config["MAX_CONTENT_LENGTH"] = (app.config["MAX_UPLOAD_MB"] + 1) * 1024 * 1024
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    _init_extensions(app)
    _register_blueprints(app)
    _register_cli(app)
    _register_hooks(app)
    return app


def _select_locale() -> str:
    from flask import current_app

    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI and jobs: the default, unless they use force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    if session.get("language") in languages:
        return session["language"]
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _select_timezone() -> str:
    from flask import current_app

    return current_app.config["TRACKER_TIMEZONE"]


def _init_extensions(app: Flask) -> None:
    # Import models so that metadata (migrations, `flask db check`) sees every table.
    from tracker import models  # noqa: F401

    db.init_app(app)
    migrate.init_app(app, db, directory=str(BASE_DIR / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale, timezone_selector=_select_timezone)
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Silakan masuk untuk membuka halaman ini.")
    login_manager.login_message_category = "warning"

    from tracker.auth.services import load_user

    login_manager.user_loader(load_user)


def _register_blueprints(app: Flask) -> None:
    from tracker.auth.views import bp as auth_bp
    from tracker.comments.views import bp as comments_bp
    from tracker.core.views import bp as main_bp
    from tracker.dashboard.views import bp as dashboard_bp
    from tracker.evaluations.views import bp as evaluations_bp
    from tracker.evidence.views import bp as evidence_bp
    from tracker.followups.views import bp as followups_bp
    from tracker.lhe.views import bp as lhe_bp
    from tracker.monitoring.views import bp as monitoring_bp
    from tracker.reminders.views import bp as reminders_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.units.views import bp as units_bp
    from tracker.users.views import bp as users_bp
    from tracker.verification.views import bp as verification_bp

    for blueprint in (
        main_bp,
        auth_bp,
        units_bp,
        users_bp,
        evaluations_bp,
        followups_bp,
        evidence_bp,
        verification_bp,
        comments_bp,
        lhe_bp,
        reminders_bp,
        dashboard_bp,
        monitoring_bp,
        reports_bp,
    ):
        app.register_blueprint(blueprint)


def _register_cli(app: Flask) -> None:
    from tracker.auth.cli import create_user_command
    from tracker.demo.cli import demo_cli
    from tracker.lhe.cli import lhe_cli
    from tracker.reminders.cli import reminders_cli, scheduler_command
    from tracker.reports.cli import report_cli

    app.cli.add_command(create_user_command)
    app.cli.add_command(demo_cli)
    app.cli.add_command(lhe_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(report_cli)


def _register_hooks(app: Flask) -> None:
    from tracker.core import filters, mail  # noqa: F401  (mail: sends queued mail on commit)
    from tracker.core.permissions import template_helpers

    app.context_processor(template_helpers)
    filters.register(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
        )
        return response

    for code in (400, 403, 404, 409, 413):

        def handler(error, code=code):
            return render_template("errors.html", code=code, error=error), code

        app.register_error_handler(code, handler)

    @app.teardown_request
    def _rollback_on_error(exc):
        if exc is not None:
            db.session.rollback()
