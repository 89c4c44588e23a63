"""The report's charts: two inline PNGs, one per breakdown."""

from __future__ import annotations

import base64

from service.render.charts import bars, report_charts

PREFIX = "data:image/png;base64,"


def png(uri: str) -> bytes:
    assert uri.startswith(PREFIX)
    return base64.b64decode(uri.removeprefix(PREFIX))


def test_two_charts_each_a_png(report):
    charts = report_charts(report)
    assert [t for t, _ in charts] == ["km by zone", "kg CO2e by mode"]
    for _, uri in charts:
        assert png(uri).startswith(b"\x89PNG\r\n\x1a\n")


def test_more_labels_draw_a_taller_chart():
    def height(n: int) -> int:
        data = png(bars("t", [f"z{i}" for i in range(n)], [1.0] * n, [2.0] * n, "km"))
        return int.from_bytes(data[20:24], "big")  # IHDR height

    assert height(12) > height(2)
