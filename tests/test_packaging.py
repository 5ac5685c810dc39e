"""build.spec, checked without building: what it would collect, exclude and name.

The spec is plain Python run with PyInstaller's build classes in scope, so here it runs with
recording stand-ins (PyInstaller itself is only in the dist environment). The full bundle is built
and checked by ``make dist``; these tests catch a broken spec, or an import the bundle would
lack, in seconds.
"""

from __future__ import annotations

import ast
import fnmatch
import struct
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

from cse_screen import cli

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"


class Recorded:
    """Stands in for PyInstaller's PYZ, EXE, COLLECT and BUNDLE: keeps what it was given."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs


class Analysis(Recorded):
    def __init__(self, scripts: list[str], **kwargs: Any) -> None:
        super().__init__(scripts, **kwargs)
        self.scripts = scripts
        self.pure: list[Any] = []
        self.binaries: list[tuple[str, str, str]] = []
        self.datas = [(dest, src, "DATA") for src, dest in kwargs["datas"]]


def run_spec(platform: str | None = None, monkeypatch: pytest.MonkeyPatch | None = None) -> dict:
    if platform is not None and monkeypatch is not None:
        monkeypatch.setattr(sys, "platform", platform)
    namespace: dict[str, Any] = {
        "SPECPATH": str(ROOT),
        "Analysis": Analysis,
        "PYZ": Recorded,
        "EXE": Recorded,
        "COLLECT": Recorded,
        "BUNDLE": Recorded,
        "__name__": "__main__",
    }
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)
    return namespace


@pytest.fixture(scope="module")
def spec() -> dict:
    return run_spec()


def test_onedir_bundle_named_and_versioned_from_pyproject(spec: dict) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert (spec["NAME"], spec["VERSION"]) == (project["name"], project["version"])
    coll = spec["coll"]
    assert coll.kwargs["name"] == "cse-screen"
    exes = [arg for arg in coll.args if isinstance(arg, Recorded) and "console" in arg.kwargs]
    assert exes, "COLLECT holds no executable"
    assert exes[0].kwargs["name"] == "cse-screen" and exes[0].kwargs["console"] is True
    assert all(exe.kwargs["exclude_binaries"] for exe in exes)  # onedir: files beside the exe
    assert all(exe.kwargs["upx"] is False for exe in exes)
    script = Path(spec["a"].scripts[0])
    assert script.is_file() and "cse_screen.cli import main" in script.read_text()


def test_resources_land_at_the_wheels_package_relative_path(spec: dict) -> None:
    datas = [(Path(src), dest) for dest, src, _ in spec["a"].datas]
    resources = [(src, dest) for src, dest in datas if ROOT / "resources" in src.parents]
    assert resources
    for src, dest in resources:
        rel = src.relative_to(ROOT / "resources")
        assert dest == Path("cse_screen", "resources", *rel.parts[:-1]).as_posix()
    shipped = {src for src, _ in resources}
    assert ROOT / "resources" / "questionnaires" / "lac-cse-screen.yaml" in shipped
    assert ROOT / "resources" / "icons" / "cse-screen-256.png" in shipped
    expected = {
        p
        for p in (ROOT / "resources").rglob("*")
        if p.is_file()
        and not any(
            part.startswith(".") or part == "__pycache__"
            for part in p.relative_to(ROOT / "resources").parts
        )
        and p.suffix not in (".ui", ".ts", ".pyc")
    }
    assert shipped == expected


def test_no_designer_sources_tests_or_samples_collected(spec: dict) -> None:
    sources = [Path(src) for _, src, _ in spec["a"].datas]
    assert not [s for s in sources if s.suffix == ".ui"]
    assert not [s for s in sources if ROOT / "ui" in s.parents or ROOT / "tests" in s.parents]
    assert not [s for s in sources if s.suffix in (".db", ".keys", ".xlsx", ".csv")]


def test_every_module_loaded_by_name_is_a_hidden_import(spec: dict) -> None:
    hidden = set(spec["a"].kwargs["hiddenimports"])
    assert {f"cse_screen.commands.{name}" for name in cli.COMMAND_MODULES} <= hidden
    assert {"cse_screen.gui.app", "cse_screen.gui.register", "cse_screen.selftest"} <= hidden
    assert not [name for name in hidden if "migrations" in name or name.startswith("tests")]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_exclusions_never_remove_what_the_app_imports(spec: dict) -> None:
    excludes = spec["a"].kwargs["excludes"]
    # The team server package is left out of the laptop bundle whole, with its PostgreSQL driver.
    laptop = [p for p in (ROOT / "cse_screen").rglob("*.py") if "server" not in p.parts]
    imported = set().union(*(_imports(p) for p in laptop))
    clashes = [
        name for name in imported for ex in excludes if name == ex or name.startswith(f"{ex}.")
    ]
    assert clashes == [], f"build.spec excludes modules the app imports: {sorted(set(clashes))}"
    assert not [name for name in spec["a"].kwargs["hiddenimports"] if "server" in name.split(".")]
    assert {"PySide6.QtQuick", "PySide6.QtQml", "PySide6.QtWebEngineCore", "PySide6.QtPdf"} <= set(
        excludes
    )
    assert "sqlite3" in excludes  # no unencrypted driver in the bundle


@pytest.mark.parametrize(
    ("dest", "dropped"),
    [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6/plugins/platforms/qwindows.dll", False),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", False),
        ("PySide6/Qt/plugins/iconengines/libqsvgicon.so", True),  # the icons are PNGs
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", True),
        ("cse_screen/resources/icons/cse-screen-32.png", False),
        ("PySide6/Qt/plugins/platforms/libqwayland-egl.so", True),
        ("PySide6/Qt/plugins/platforms/libqeglfs.so", True),
        ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", True),
        ("PySide6/plugins/imageformats/qpdf.dll", True),
        ("PySide6/Qt/translations/qtbase_de.qm", True),
        ("PySide6/translations/qtbase_de.qm", True),
        ("PySide6/Qt/qml/QtQuick/qmldir", True),
        ("libQt6Quick.so.6", True),
        ("PySide6/Qt6Qml.dll", True),
        ("PySide6/Qt/lib/QtQuick.framework/Versions/A/QtQuick", True),
    ],
)
def test_unused_qt_parts_are_dropped(spec: dict, dest: str, dropped: bool) -> None:
    assert spec["dropped"](dest) is dropped


def test_libraries_only_dropped_parts_needed_go_with_them(spec: dict) -> None:
    gtk = "PySide6/Qt/plugins/platformthemes/libqgtk3.so"
    gui = "PySide6/Qt/lib/libQt6Gui.so.6"
    module = "PySide6/QtGui.abi3.so"
    binaries = [
        (module, "/x/QtGui.abi3.so", "EXTENSION"),
        (gtk, "/x/libqgtk3.so", "BINARY"),
        ("libcairo.so.2", "/x/libcairo.so.2", "BINARY"),
        ("libfreetype.so.6", "/x/libfreetype.so.6", "BINARY"),
        (gui, "/x/libQt6Gui.so.6", "BINARY"),
        ("libloadedbyname.so.1", "/x/libloadedbyname.so.1", "BINARY"),
        ("libQt6Gui.so.6", gui, "SYMLINK"),
    ]
    links = {
        gtk: {"libcairo.so.2", "libfreetype.so.6", "libQt6Gui.so.6"},
        "libcairo.so.2": {"libfreetype.so.6"},
        module: {"libQt6Gui.so.6"},  # direct links only, as on Windows: reach is followed
        gui: {"libfreetype.so.6"},
    }
    spec["_linked_names"] = lambda entries: {dest: links.get(dest, set()) for dest, *_ in entries}
    kept = {dest for dest, *_ in spec["prune_binaries"](binaries)}
    assert kept == {module, gui, "libfreetype.so.6", "libloadedbyname.so.1", "libQt6Gui.so.6"}
    dangling = [("libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6", "SYMLINK")]
    assert spec["without_dangling_links"](dangling, []) == [[], []]


def test_windows_gets_a_windowed_and_a_console_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = run_spec("win32", monkeypatch)
    exes = {exe.kwargs["name"]: exe.kwargs for exe in spec["executables"]}
    assert exes["cse-screen"]["console"] is True
    assert exes["cse-screen-gui"]["console"] is False
    for kwargs in exes.values():
        assert kwargs["icon"].endswith("cse-screen.ico") and Path(kwargs["icon"]).is_file()
        assert kwargs["strip"] is False  # no strip tool on Windows
    assert all(any(exe is arg for arg in spec["coll"].args) for exe in spec["executables"])


def test_macos_app_opens_the_windowed_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = run_spec("darwin", monkeypatch)
    bundle = spec["app"].kwargs
    assert bundle["info_plist"]["CFBundleExecutable"] == "cse-screen-gui"
    assert bundle["icon"].endswith("cse-screen.icns") and Path(bundle["icon"]).is_file()


def test_linux_bundle_has_one_executable(spec: dict) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("Linux layout")
    assert [exe.kwargs["name"] for exe in spec["executables"]] == ["cse-screen"]


def test_icons_match_their_svg_source() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_icons.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_windows_icon_holds_every_size_up_to_256() -> None:
    data = (ROOT / "resources" / "icons" / "cse-screen.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = []
    for index in range(count):
        width, _h, _c, _r, _p, _b, length, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n" and offset + length <= len(data)
        sizes.append(width or 256)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]


def test_ci_builds_the_bundle_after_the_tests() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert "set -euo pipefail" in lines
    assert lines.index("make test") < lines.index("make dist")
    recipe = (ROOT / "Makefile").read_text().split("\ndist:", 1)[1].split("\n\n", 1)[0]
    assert "env -i dist/cse-screen/cse-screen selftest" in recipe
    assert "scripts/check_bundle.py" in recipe
    assert fnmatch.fnmatch(recipe, "*PYTHONHASHSEED=0*pyinstaller*build.spec*")


def _check_bundle() -> Any:
    import importlib.util

    spec = importlib.util.spec_from_file_location("check_bundle", ROOT / "scripts/check_bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_bundle(tmp_path: Path, *files: str) -> Path:
    bundle = tmp_path / "cse-screen"
    for name in ("_internal/sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so", *files):
        (bundle / name).parent.mkdir(parents=True, exist_ok=True)
        (bundle / name).write_bytes(b"\x7fELF")
    return bundle


def test_bundle_check_passes_a_clean_bundle(tmp_path: Path) -> None:
    checks = _check_bundle()
    bundle = _fake_bundle(tmp_path, "_internal/cse_screen/resources/icons/cse-screen-16.png")
    assert checks.check_driver(bundle) == []
    assert checks.check_contents(bundle) == []
    assert checks.check_paths(bundle, [str(ROOT)]) == []


@pytest.mark.parametrize(
    ("extra", "complaint"),
    [
        ("_internal/python3.11/lib-dynload/_sqlite3.cpython-311-x86_64-linux-gnu.so", "stock"),
        ("_internal/libsqlite3.so.0", "stock"),
        ("_internal/ui/main_window.ui", "must not be shipped"),
        ("_internal/tests/helpers.py", "folder that must not be shipped"),
        ("_internal/cse_screen/test_things.py", "test module"),
        ("_internal/data/cse-screen.db", "must not be shipped"),
        ("_internal/cse-screen.db.keys", "must not be shipped"),
    ],
)
def test_bundle_check_finds_what_must_not_ship(tmp_path: Path, extra: str, complaint: str) -> None:
    checks = _check_bundle()
    bundle = _fake_bundle(tmp_path, extra)
    problems = checks.check_driver(bundle) + checks.check_contents(bundle)
    assert any(complaint in p for p in problems), problems


def test_bundle_check_finds_build_paths_even_compressed(tmp_path: Path) -> None:
    import zipfile

    checks = _check_bundle()
    bundle = _fake_bundle(tmp_path)
    (bundle / "_internal" / "notes.txt").write_text(f"built in {ROOT}/.venv-dist/lib")
    with zipfile.ZipFile(bundle / "_internal" / "base_library.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("os.pyc", f"\x00{ROOT}/.venv-dist/lib/python3.11/os.py\x00" * 20)
    problems = checks.check_paths(bundle, [str(ROOT)])
    assert any(p.startswith("_internal/notes.txt contains") for p in problems), problems
    assert any(p.startswith("base_library.zip:os.pyc contains") for p in problems), problems
    assert checks.check_size(151 * 2**20) != [] or not sys.platform.startswith("linux")
    (bundle / "_internal" / "sqlcipher3" / "_sqlite3.cpython-311-x86_64-linux-gnu.so").unlink()
    assert any("sqlcipher3 extension" in p for p in checks.check_driver(bundle))
