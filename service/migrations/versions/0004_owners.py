"""owners: each key belongs to an organisation; awards, jobs and reports to their key's

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_OWNED = ("awards", "jobs", "reports")


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as t:
        t.add_column(sa.Column("owner", sa.String(length=100), nullable=True))
    for table in _OWNED:
        with op.batch_alter_table(table) as t:
            t.add_column(sa.Column("owner", sa.String(length=100), nullable=True))
    # a key made before owners existed is its own organisation, and so owns what it made
    op.execute("UPDATE api_keys SET owner = id WHERE owner IS NULL")
    for table in _OWNED:
        op.execute(f"UPDATE {table} SET owner = key_id WHERE owner IS NULL")
        op.create_index(f"ix_{table}_owner", table, ["owner"])


def downgrade() -> None:
    for table in _OWNED:
        op.drop_index(f"ix_{table}_owner", table_name=table)
        with op.batch_alter_table(table) as t:
            t.drop_column("owner")
    with op.batch_alter_table("api_keys") as t:
        t.drop_column("owner")
