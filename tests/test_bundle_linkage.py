"""The bundle's linkage checks: libraries resolved outside the bundle, search paths, run-time paths.

``scripts/bundle_linkage.py`` is run by ``check_bundle.py`` on every ``make dist``. These tests
feed its parsers recorded ``readelf``/``ldd`` output, and build small real shared libraries with
the C compiler (when there is one) to plant what a bad build leaves: a RUNPATH into the build
machine's home folder, a library taken from the system outside the allowed base, one not found.
"""

from __future__ import annotations

import importlib.util
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from cse_screen.cli import main

ROOT = Path(__file__).resolve().parent.parent
linux_tools = pytest.mark.skipif(
    not sys.platform.startswith("linux")
    or not all(shutil.which(tool) for tool in ("gcc", "readelf", "ldd")),
    reason="needs Linux with gcc, readelf and ldd",
)


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclass looks its module up while being defined
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def linkage() -> Any:
    return _load("bundle_linkage")


READELF = """
Dynamic section at offset 0x2de0 contains 27 entries:
  Tag        Type                         Name/Value
 0x0000000000000001 (NEEDED)             Shared library: [libm.so.6]
 0x0000000000000001 (NEEDED)             Shared library: [libc.so.6]
 0x000000000000000e (SONAME)             Library soname: [libpython3.11.so.1.0]
 0x000000000000001d (RUNPATH)            Library runpath: [$ORIGIN/../lib:/root/.pyenv/3.11.7/lib]
 0x000000000000000c (INIT)               0x1000
"""

LDD = """\tlinux-vdso.so.1 (0x00007ffd7a5f0000)
\tlibQt6Core.so.6 => /opt/cse-screen/_internal/PySide6/Qt/lib/libQt6Core.so.6 (0x00007f0c1a200000)
\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f0c1a100000)
\tlibz.so.1 => /lib/x86_64-linux-gnu/libz.so.1 (0x00007f0c1a0e0000)
\tlibxkbcommon.so.0 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007f0c1a400000)
"""


def test_readelf_output_gives_needed_names_and_each_search_path_entry(linkage: Any) -> None:
    dynamic = linkage.parse_dynamic(READELF)
    assert dynamic.needed == ["libm.so.6", "libc.so.6"]
    assert dynamic.search == [
        ("RUNPATH", "$ORIGIN/../lib"),
        ("RUNPATH", "/root/.pyenv/3.11.7/lib"),
    ]


def test_a_search_path_outside_the_bundle_is_refused_and_origin_inside_is_not(
    linkage: Any,
) -> None:
    bundle = Path("/opt/cse-screen")
    library = bundle / "_internal" / "libpython3.11.so.1.0"
    problems = linkage.search_path_problems(library, linkage.parse_dynamic(READELF), bundle)
    assert problems == [
        "_internal/libpython3.11.so.1.0 has RUNPATH /root/.pyenv/3.11.7/lib, "
        "which leads outside the bundle"
    ]
    escape = linkage.Dynamic(search=[("RPATH", "$ORIGIN/../.."), ("RUNPATH", "lib")])
    assert len(linkage.search_path_problems(library, escape, bundle)) == 2  # above it; cwd


def test_ldd_output_sorts_bundle_allowed_system_and_missing(linkage: Any) -> None:
    resolved = linkage.parse_ldd(LDD)
    assert resolved["libxkbcommon.so.0"] is None
    assert resolved["ld-linux-x86-64.so.2"] == "/lib64/ld-linux-x86-64.so.2"
    bundle = Path("/opt/cse-screen")
    used: dict[str, str] = {}
    problems = linkage.resolution_problems(
        bundle / "_internal" / "libqxcb.so", resolved, bundle, used
    )
    assert len(problems) == 2, problems
    assert "loads libz.so.1 from the system (/lib/x86_64-linux-gnu/libz.so.1)" in problems[0]
    assert "needs libxkbcommon.so.0, which is neither in the bundle nor found" in problems[1]
    assert set(used) == {"libGL.so.1", "ld-linux-x86-64.so.2"}
    assert linkage.system_packages(used) == sorted({"libgl1", "libc6", *linkage.DATA_PACKAGES})


def test_run_time_paths_must_all_be_inside_the_bundle(linkage: Any) -> None:
    bundle = Path("/opt/cse-screen")
    internal = "/opt/cse-screen/_internal"
    good = {
        "executable": "/opt/cse-screen/cse-screen",
        "prefix": internal,
        "base_prefix": internal,
        "exec_prefix": internal,
        "base_exec_prefix": internal,
        "path": [f"{internal}/base_library.zip", f"{internal}/lib-dynload", internal],
    }
    assert linkage.runtime_path_problems(good, bundle) == []
    leaked = good | {
        "base_prefix": "/root/.pyenv/versions/3.11.7",
        "path": [*good["path"], "/usr/lib/python3/dist-packages", "relative"],
    }
    problems = linkage.runtime_path_problems(leaked, bundle)
    assert problems[0] == (
        "at run time sys.base_prefix is '/root/.pyenv/versions/3.11.7', outside the bundle"
    )
    assert len(problems) == 3
    assert linkage.runtime_path_problems({"path": None}, bundle)[-1].endswith("could not be read")


def test_the_selftest_reports_its_run_time_paths_as_json(capsys: pytest.CaptureFixture) -> None:
    assert main(["selftest", "--runtime-paths"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["base_prefix"] == sys.base_prefix and info["path"] == sys.path


def test_the_docs_list_exactly_the_allowed_system_base(linkage: Any) -> None:
    text = (ROOT / "docs" / "deploying.md").read_text(encoding="utf-8")
    documented = linkage.documented_packages(text)
    base = {p for p in linkage.SYSTEM_BASE.values() if not p.startswith("(")}
    assert documented is not None, "docs/deploying.md lost its prerequisites block"
    assert set(documented) == base | set(linkage.DATA_PACKAGES)
    all_of_them = {name: f"/lib/{name}" for name in linkage.SYSTEM_BASE}
    assert linkage.prerequisite_problems(all_of_them, documented) == []
    stale = linkage.prerequisite_problems({"libc.so.6": "/lib/libc.so.6"}, documented)
    assert any("lists the package libgl1, which the bundle does not need" in p for p in stale)
    assert linkage.prerequisite_problems({}, None) != []


# --- real libraries --------------------------------------------------------------------------


def _shared(folder: Path, name: str, *flags: str) -> Path:
    source = folder / f"{name}.c"
    function = name.replace("lib", "f_")
    source.write_text(
        "unsigned long strlen(const char *);\n"
        f"unsigned long {function}(const char *s) {{ return strlen(s); }}\n"
    )
    out = folder / f"{name}.so"
    # --no-as-needed: keep a NEEDED entry even for a library none of whose symbols is used.
    subprocess.run(
        ["gcc", "-shared", "-fPIC", "-o", str(out), str(source), "-Wl,--no-as-needed", *flags],
        check=True,
        capture_output=True,
    )
    source.unlink()
    return out


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    internal = tmp_path / "cse-screen" / "_internal"
    internal.mkdir(parents=True)
    _shared(internal, "libinner")
    return tmp_path / "cse-screen"


@linux_tools
def test_a_clean_library_in_the_bundle_passes(linkage: Any, bundle: Path) -> None:
    internal = bundle / "_internal"
    _shared(internal, "libouter", f"-L{internal}", "-linner", "-Wl,-rpath,$ORIGIN")
    problems, used = linkage.check_linkage(bundle)
    assert problems == []
    assert "libc.so.6" in used


@linux_tools
@pytest.mark.parametrize("dtags", ["--enable-new-dtags", "--disable-new-dtags"])
def test_a_planted_runpath_or_rpath_fails(linkage: Any, bundle: Path, dtags: str) -> None:
    home = "/home/builder/.pyenv/versions/3.11.7/lib"
    _shared(bundle / "_internal", "libleak", f"-Wl,{dtags},-rpath,{home}")
    problems, _ = linkage.check_linkage(bundle)
    kind = "RUNPATH" if dtags == "--enable-new-dtags" else "RPATH"
    assert problems == [f"_internal/libleak.so has {kind} {home}, which leads outside the bundle"]


@linux_tools
def test_a_system_library_outside_the_base_and_a_missing_one_fail(
    linkage: Any, bundle: Path
) -> None:
    internal = bundle / "_internal"
    system_z = [
        p for p in (Path("/lib/x86_64-linux-gnu"), Path("/usr/lib")) if (p / "libz.so.1").exists()
    ]
    if not system_z:
        pytest.skip("no system libz.so.1 to link against")
    _shared(internal, "libzuser", f"-L{system_z[0]}", "-l:libz.so.1")
    _shared(internal, "libneedsinner", f"-L{internal}", "-linner")
    (internal / "libinner.so").unlink()
    problems, _ = linkage.check_linkage(bundle)
    assert any(
        p.startswith("_internal/libzuser.so loads libz.so.1 from the system") for p in problems
    )
    assert (
        "_internal/libneedsinner.so needs libinner.so, which is neither in the bundle nor found"
        in problems
    )


def test_selftest_names_the_package_of_every_system_library_the_bundle_needs(
    linkage: Any,
) -> None:
    from cse_screen.diagnose import DEBIAN_PACKAGES

    outside_libc = {
        name: package
        for name, package in linkage.SYSTEM_BASE.items()
        if package not in ("libc6", "(kernel)")
    }
    assert {name: DEBIAN_PACKAGES.get(name) for name in outside_libc} == outside_libc


def test_make_dist_uses_debians_python_and_installs_its_packages() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assign = dict(re.findall(r"^(DIST_PYTHON|DIST_DEBS) \??:?= (.*)$", makefile, re.M))
    assert assign["DIST_PYTHON"] == "/usr/bin/python3.11"  # never whatever python3 is on PATH
    assert {"binutils", "python3-venv", "libpython3.11"} <= set(assign["DIST_DEBS"].split())
    recipe = makefile.split("\ndist:", 1)[1].split("\n\n", 1)[0]
    assert '$(MAKE) system-deps QT_DEBS="$(DIST_DEBS)"' in recipe
    assert "$(DIST_PYTHON) -m venv $(DIST_VENV)" in recipe
    docs = (ROOT / "docs" / "deploying.md").read_text(encoding="utf-8")
    assert all(f"`{package}`" in docs for package in ("python3-venv", "libpython3.11"))
