"""indexes for reading at scale

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 10:36:16.180670

The history of a follow-up reads audit entries by object; a PIC's scope reads the link tables by
unit and by user (their primary keys start with the follow-up). Measured with bench/generate.py's
50,000 follow-ups: bench/README.md.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.create_index('ix_audit_entries_object', ['object_type', 'object_id'], unique=False)

    with op.batch_alter_table('followup_pics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_pics_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('followup_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_units_unit_id'), ['unit_id'], unique=False)


def downgrade():
    mysql = op.get_bind().dialect.name in ("mysql", "mariadb")
    for table, column, referred in (
        ("followup_units", "unit_id", "units"),
        ("followup_pics", "user_id", "users"),
    ):
        with op.batch_alter_table(table, schema=None) as batch_op:
            if mysql:
                # MariaDB keeps an index behind every foreign key and let ours serve it: give
                # the foreign key back the index it had (named like it) before dropping ours.
                batch_op.create_index(f"fk_{table}_{column}_{referred}", [column], unique=False)
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))

    with op.batch_alter_table('audit_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_entries_object')
