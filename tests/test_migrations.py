"""The migrations are the schema: at head, in step with the models, reversible."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade

from config import BASE_DIR, TestingConfig
from tracker import create_app
from tracker.extensions import db

MIGRATIONS = BASE_DIR / "migrations"


def head_revision() -> str:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(config).get_current_head()


def schema_differences(connection, metadata: sa.MetaData) -> list:
    """What autogenerate would write to bring the database to `metadata` (empty = in step)."""
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "render_as_batch": True},
    )
    return compare_metadata(context, metadata)


def test_database_is_at_the_head_revision(app_ctx):
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    assert current == (head_revision(),)


def test_models_and_migrations_agree(app_ctx):
    with db.engine.connect() as connection:
        differences = schema_differences(connection, db.metadata)
    assert differences == [], "models and migrations disagree: write a migration"


def test_a_model_change_without_migration_is_detected(app_ctx):
    changed = sa.MetaData(naming_convention=db.metadata.naming_convention)
    for table in db.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["units"].append_column(sa.Column("phone", sa.String(30), nullable=True))
    with db.engine.connect() as connection:
        differences = schema_differences(connection, changed)
    assert [(d[0], d[2], d[3].name) for d in differences] == [("add_column", "units", "phone")]


def test_downgrade_to_base_and_upgrade_again(tmp_path):
    """On a separate SQLite file, so the shared test database stays as it is."""

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        UPLOAD_FOLDER = str(tmp_path / "uploads")
        MAIL_FOLDER = str(tmp_path / "mail")

    application = create_app(Config)
    with application.app_context():
        upgrade()
        assert "followups" in sa.inspect(db.engine).get_table_names()
        downgrade(revision="base")
        assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()
        with db.engine.connect() as connection:
            assert MigrationContext.configure(connection).get_current_heads() == (head_revision(),)
            assert schema_differences(connection, db.metadata) == []
        db.engine.dispose()
