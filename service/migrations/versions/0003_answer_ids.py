"""answer ids: the id an idempotent POST reserved, and the zone set an award used

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency") as t:
        t.add_column(sa.Column("answer_id", sa.String(length=36), nullable=True))
    with op.batch_alter_table("awards") as t:
        t.add_column(sa.Column("zone_set_id", sa.String(length=100), nullable=True))
        t.add_column(sa.Column("zone_set_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("awards") as t:
        t.drop_column("zone_set_version")
        t.drop_column("zone_set_id")
    with op.batch_alter_table("idempotency") as t:
        t.drop_column("answer_id")
