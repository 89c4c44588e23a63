"""The layering rule, checked on the source: imports point down only, and no module takes
another module's private (underscore) name.

service → routing.analysis → routing.brokerage → routing.runs → routing.domain → zones →
geodata (``routing.errors`` and the council registry ``routing.councils`` sit just above
``zones``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("geodata", "zones", "routing", "service")
# lowest first; a module may import its own layer or any layer below it
LAYERS = [
    "geodata",
    "zones",
    "routing.errors",
    "routing.councils",
    "routing.domain",
    "routing.runs",
    "routing.brokerage",
    "routing.analysis",
    "routing",
    "service",
]


def layer_of(module: str) -> int:
    """Index in LAYERS of the most specific prefix of ``module``."""
    best = -1
    for i, prefix in enumerate(LAYERS):
        if (module == prefix or module.startswith(prefix + ".")) and (
            best < 0 or len(prefix) > len(LAYERS[best])
        ):
            best = i
    return best


def modules():
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            rel = path.relative_to(ROOT).with_suffix("")
            name = ".".join(rel.parts).removesuffix(".__init__")
            yield name, path


def imports(path: Path):
    """(imported module, names) for every import in ``path``, lazy ones included."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, []


def test_the_layer_table_knows_every_module():
    assert all(layer_of(name) >= 0 for name, _ in modules())


@pytest.mark.parametrize("name,path", list(modules()), ids=lambda v: str(v))
def test_imports_point_down_only(name, path):
    mine = layer_of(name)
    up = [
        target
        for target, _ in imports(path)
        if target.split(".")[0] in PACKAGES and layer_of(target) > mine
    ]
    assert not up, f"{name} imports a higher layer: {up}"


@pytest.mark.parametrize("name,path", list(modules()), ids=lambda v: str(v))
def test_no_module_takes_another_modules_private_names(name, path):
    taken = [
        f"{target}.{n}"
        for target, names in imports(path)
        if target.split(".")[0] in PACKAGES and target != name
        for n in names
        if n.startswith("_") and not n.startswith("__")
    ]
    assert not taken, f"{name} imports private names: {taken}"


LONG = 600


@pytest.mark.parametrize(
    "path",
    [p for p in ROOT.glob("**/*.py") if ".venv" not in p.parts and "migrations" not in p.parts],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_a_module_over_600_lines_says_why_it_must_be_one(path):
    text = path.read_text(encoding="utf-8")
    if text.count("\n") <= LONG:
        return
    doc = ast.get_docstring(ast.parse(text)) or ""
    assert "over 600 lines" in doc, f"{path}: split it, or say in its docstring why it is one"


def public_modules():
    """Every public module of the packages (not ``__init__.py``, not service/migrations, not a
    ``_private.py``), as its path relative to the repository root."""
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "migrations" in rel.parts or path.name.startswith("_"):
                continue
            yield rel


def test_the_public_modules_are_found():
    found = {str(p) for p in public_modules()}
    assert {"geodata/crs.py", "routing/runs/check.py", "service/api/limits.py"} <= found
    assert not any(p.endswith("__init__.py") or "migrations" in p for p in found)


@pytest.mark.parametrize("rel", list(public_modules()), ids=str)
def test_every_public_module_has_its_mirrored_test_module(rel):
    """``geodata/crs.py`` is tested by ``tests/geodata/test_crs.py``: a new module without a
    test module in the mirrored place fails here."""
    mirrored = ROOT / "tests" / rel.parent / f"test_{rel.name}"
    assert mirrored.is_file(), f"{rel} has no test module: write {mirrored.relative_to(ROOT)}"
