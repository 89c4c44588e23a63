"""The carerun HTTP API (FastAPI): rankings and allocations for e-brokerage portals."""

from service.api.app import create_app
from service.api.state import AppState, state_of

__all__ = ["AppState", "create_app", "state_of"]
