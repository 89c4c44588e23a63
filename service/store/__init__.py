"""Persistence (SQLAlchemy 2, Alembic): SQLite by default, PostgreSQL via CARERUN_DATABASE_URL."""
