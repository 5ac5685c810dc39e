"""The package layout's import rules, read from the source with ``ast`` (nothing is imported).

* the record services (``cse_screen/storage``) run on any SQLAlchemy engine, so they never
  import the encrypted-file vault, which calls them;
* the screening engine (``cse_screen/core``) stays pure: no storage, vault or GUI.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cse_screen"


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, at any depth (lazy imports inside functions count too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts[:-1])
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*parent, base]) if base else ".".join(parent)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def offending(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    """``file: module`` for each import under ``folder`` of a forbidden package."""
    found = []
    for path in sorted((PACKAGE / folder).rglob("*.py")):
        for name in sorted(imported_modules(path)):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                found.append(f"{path.relative_to(PACKAGE.parent)}: {name}")
    return found


def test_the_record_services_do_not_import_the_vault() -> None:
    assert offending("storage", ("cse_screen.vault",)) == []


def test_the_core_imports_no_storage_vault_or_gui() -> None:
    forbidden = ("cse_screen.storage", "cse_screen.vault", "cse_screen.gui", "PySide6")
    assert offending("core", forbidden) == []


@pytest.mark.parametrize(
    ("source", "caught"),
    [
        ("from cse_screen.vault.engine import db_errors\n", "cse_screen.vault.engine"),
        ("import cse_screen.vault.atomic\n", "cse_screen.vault.atomic"),
        ("def f():\n    from cse_screen.vault import store\n", "cse_screen.vault"),
        ("from ...vault import keyslots\n", "cse_screen.vault"),
    ],
)
def test_the_check_sees_every_form_of_import(tmp_path, monkeypatch, source, caught) -> None:
    """The rule must catch top-level, dotted, lazy and relative imports alike."""
    fake = tmp_path / "cse_screen"
    (fake / "storage" / "services").mkdir(parents=True)
    (fake / "storage" / "services" / "x.py").write_text(source, encoding="utf-8")
    monkeypatch.setitem(globals(), "PACKAGE", fake)
    found = offending("storage", ("cse_screen.vault",))
    assert found and caught in " ".join(found)
