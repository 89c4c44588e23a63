"""The command line's printers: each shows one kind of result in the terminal (rich)."""

from __future__ import annotations

from service.cli.views.county import print_county_plan, print_pooled
from service.cli.views.network import print_network
from service.cli.views.plan import print_day_plan, print_totals
from service.cli.views.rank import print_ranking
from service.cli.views.report import print_report
from service.cli.views.whatif import print_whatif
from service.cli.views.zones import print_check, print_comparison, print_metrics, print_redrawn

__all__ = [
    "print_check",
    "print_comparison",
    "print_county_plan",
    "print_day_plan",
    "print_metrics",
    "print_network",
    "print_pooled",
    "print_ranking",
    "print_redrawn",
    "print_report",
    "print_totals",
    "print_whatif",
]
