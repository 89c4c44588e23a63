"""The docs say what the code does: the glossary's reason-code and error-code tables list
exactly the codes the code defines, and every path the architecture doc names exists."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = GLOSSARY.index(f"## {title}\n")
    nxt = GLOSSARY.find("\n## ", start + 3)
    return GLOSSARY[start : nxt if nxt > 0 else None]


def _codes_in(text: str) -> set[str]:
    return set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.M))


def _import_everything() -> None:
    for pkg in ("geodata", "zones", "routing", "service"):
        mod = importlib.import_module(pkg)
        for info in pkgutil.walk_packages(mod.__path__, prefix=f"{pkg}."):
            if ".migrations" not in info.name:
                importlib.import_module(info.name)


def test_the_reason_code_table_lists_every_reason_code():
    from typing import get_args

    from geodata.notes import TravelNoteCode
    from routing.analysis.county import CountyNoteCode
    from routing.brokerage.allocation import WaitingCode
    from routing.brokerage.answers import ExclusionCode
    from routing.runs.build import ZoneNoteCode
    from routing.runs.problem import UnservedCode

    defined = {c.value for e in (UnservedCode, WaitingCode, TravelNoteCode) for c in e}
    defined |= {c.value for e in (ZoneNoteCode, CountyNoteCode) for c in e}
    defined |= set(get_args(ExclusionCode))
    assert _codes_in(_section("Reason codes")) == defined


def test_the_error_code_table_lists_the_whole_family():
    from geodata.errors import CarerunError, error_classes

    _import_everything()
    defined = {c.code for c in error_classes() if c is not CarerunError}
    assert _codes_in(_section("Error codes")) == defined


@pytest.mark.parametrize("doc", ["architecture.md", "glossary.md", "references.md"])
def test_every_module_path_a_doc_names_exists(doc):
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:geodata|zones|routing|service|tests|bench)/[\w/.-]+\.py)`", text))
    missing = sorted(p for p in named if not (ROOT / p).exists())
    assert not missing, f"{doc} names files that do not exist: {missing}"
