"""The network printer: one row per graph kind with its nodes, edges and km, and the notes."""

from __future__ import annotations

from service.cli.views import print_network


def test_each_kind_and_the_notes(shown):
    summary = {
        "name": "cambridge",
        "description": "Cambridge roads",
        "kinds": {
            "drive": {"nodes": 12345, "edges": 30001, "km": 2100.5, "derived_from_drive": False},
            "bike": {"nodes": 9000, "edges": 20000, "km": 1500, "derived_from_drive": True},
        },
        "notes": ["imported 2026-01-01"],
    }
    text = shown(print_network, summary)
    assert "cambridge: Cambridge roads" in text
    rows = {
        r[0]: r[1:]
        for r in (
            [c.strip() for c in line.split("│")[1:-1]]
            for line in text.splitlines()
            if line.count("│") == 6
        )
    }
    assert rows["drive"] == ["12,345", "30,001", "2,100.5", "False"]
    assert rows["bike"] == ["9,000", "20,000", "1,500", "True"]
    assert "- imported 2026-01-01" in text
