"""The carerun HTTP API (FastAPI): rankings and allocations for e-brokerage portals."""

from service.api.app import create_app

__all__ = ["create_app"]
