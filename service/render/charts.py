"""Matplotlib charts of the report, as inline PNG data URIs (no files, no display)."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from geodata.carbon import FACTOR_YEAR
from routing.analysis.report import Report
from routing.runs.totals import Totals


def png_data_uri(fig: Figure) -> str:
    """``fig`` as a ``data:image/png;base64,...`` URI (110 dpi); closes the figure."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def bars(title: str, labels: list[str], a: list[float], b: list[float], unit: str) -> str:
    """Paired horizontal bars, as-is (``a``) over optimised (``b``) per label, as a PNG URI."""
    fig, ax = plt.subplots(figsize=(7, 0.35 * len(labels) + 1.2))
    y = range(len(labels))
    ax.barh([i + 0.2 for i in y], a, height=0.4, label="as-is", color="#bbbbbb")
    ax.barh([i - 0.2 for i in y], b, height=0.4, label="optimised", color="#1b9e77")
    ax.set_yticks(list(y), labels)
    ax.invert_yaxis()
    ax.set_xlabel(unit)
    ax.set_title(title)
    ax.legend(loc="lower right")
    return png_data_uri(fig)


def _values(part: dict[str, Totals], keys: list[str], what: str) -> list[float]:
    return [getattr(part[k], what) if k in part else 0.0 for k in keys]


def report_charts(r: Report) -> list[tuple[str, str]]:
    """(caption, PNG URI) for the report's charts: km by zone, kg CO2e by travel mode."""
    zones = sorted(set(r.as_is.by_zone) | set(r.optimised.by_zone))
    modes = sorted(set(r.as_is.by_mode) | set(r.optimised.by_mode))
    return [
        (
            "km by zone",
            bars(
                "Travel by zone",
                zones,
                _values(r.as_is.by_zone, zones, "km"),
                _values(r.optimised.by_zone, zones, "km"),
                "km",
            ),
        ),
        (
            "kg CO2e by mode",
            bars(
                f"Carbon by travel mode (DESNZ {FACTOR_YEAR})",
                modes,
                _values(r.as_is.by_mode, modes, "kg_co2e"),
                _values(r.optimised.by_mode, modes, "kg_co2e"),
                "kg CO2e",
            ),
        ),
    ]
