"""Check a built PyInstaller bundle before it goes to IT, and report its size and start-up time.

Run by ``make dist`` after ``cse-screen selftest`` has passed on the bundle, with the build
environment's Python (it reads PyInstaller's archives):

    .venv-dist/bin/python scripts/check_bundle.py dist/cse-screen --source-python .venv/bin/python

What must hold (each failure is one line; the exit code is 1 if any fails):
* the SQLCipher driver's extension is in the bundle, and the stock sqlite3 driver (which ignores
  encryption keys and writes plaintext) is not;
* no Designer .ui sources, no tests, no test or sample data, no database, keyslot or workbook
  files (nothing that could hold personal data);
* no absolute path of the build machine (the checkout, its virtualenvs) in any file of the
  bundle, nor inside the executables' archives or base_library.zip (PyInstaller stores paths
  relative; a leak would mean a file was collected from the wrong place);
* on Linux, the bundle stays under the size target;
* on Linux (``bundle_linkage.py``), every shared library resolves (``ldd``) inside the bundle or
  to the system base IT installs, no RUNPATH or RPATH leads outside the bundle, the running
  bundle's ``sys.base_prefix`` and ``sys.path`` name only the bundle, and the prerequisites in
  ``docs/deploying.md`` are exactly the packages of the system libraries it resolved.

Then it prints the system packages the bundle needs, the size, and the start-up time to the
unlock screen of the frozen app against the same from source (``selftest --startup-probe``,
median of several runs) as a ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_linkage  # beside this script, which is not in a package

ROOT = Path(__file__).resolve().parent.parent
DEPLOYING = ROOT / "docs" / "deploying.md"
SIZE_TARGET_MIB = 150
STARTUP_RUNS = 7

# Files that must never ship: sources, tests and anything that can hold records.
FORBIDDEN_SUFFIXES = (".ui", ".db", ".db-wal", ".db-shm", ".keys", ".xlsx", ".sqlite", ".bak")
FORBIDDEN_NAMES = ("conftest.py", "children.csv", "answers-example.json", "pyvenv.cfg")
FORBIDDEN_DIRS = ("tests", "test", ".venv", ".venv-dist", "samples", "__pycache__")


def bundle_files(bundle: Path) -> Iterator[Path]:
    """Every file and symlink in the bundle (links are not followed)."""
    for path in sorted(bundle.rglob("*")):
        if path.is_symlink() or path.is_file():
            yield path


def check_driver(bundle: Path) -> list[str]:
    internal = bundle / "_internal"
    names = [p.relative_to(internal).as_posix() for p in bundle_files(internal)]
    problems = []
    if not any(n.startswith("sqlcipher3/_sqlite3") for n in names):
        problems.append("the sqlcipher3 extension (sqlcipher3/_sqlite3*) is missing")
    stock = [
        n
        for n in names
        if not n.startswith("sqlcipher3/")
        and Path(n).name.lower().startswith(("_sqlite3", "libsqlite3", "sqlite3.dll"))
    ]
    if stock:
        problems.append(f"the stock (unencrypted) sqlite3 driver is shipped: {stock[0]}")
    return problems


def check_contents(bundle: Path) -> list[str]:
    problems = []
    for path in bundle_files(bundle):
        rel = path.relative_to(bundle)
        if path.suffix.lower() in FORBIDDEN_SUFFIXES or path.name in FORBIDDEN_NAMES:
            problems.append(f"{rel} must not be shipped")
        elif path.name.startswith("test_") and path.suffix == ".py":
            problems.append(f"{rel} is a test module")
        elif any(part in FORBIDDEN_DIRS for part in rel.parts[:-1]):
            problems.append(f"{rel} is inside a folder that must not be shipped")
    return problems[:20]


def _archive_members(executable: Path) -> Iterator[tuple[str, bytes]]:
    """Every entry of an executable's PKG archive, and of the PYZ inside it, decompressed."""
    from PyInstaller.archive.readers import CArchiveReader

    pkg = CArchiveReader(str(executable))
    for name, entry in pkg.toc.items():
        if entry[-1] == "z":
            pyz = pkg.open_embedded_archive(name)
            for module in pyz.toc:
                yield f"{name}:{module}", pyz.extract(module, raw=True) or b""
        else:
            yield name, pkg.extract(name)


def _zip_members(path: Path) -> Iterator[tuple[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            yield name, archive.read(name)


def executables(bundle: Path) -> list[Path]:
    names = ("cse-screen", "cse-screen-gui", "cse-screen.exe", "cse-screen-gui.exe")
    return [bundle / n for n in names if (bundle / n).is_file()]


def check_paths(bundle: Path, needles: list[str]) -> list[str]:
    """No absolute path of the build machine anywhere in the bundle or its archives."""
    patterns = sorted({n.encode() for n in needles if n}, key=len)
    problems = []

    def scan(where: str, data: bytes) -> None:
        hit = next((p for p in patterns if p in data), None)
        if hit is not None:
            problems.append(f"{where} contains the build path {hit.decode()}")

    for path in bundle_files(bundle):
        if not path.is_symlink():
            scan(str(path.relative_to(bundle)), path.read_bytes())
    for exe in executables(bundle):
        for name, data in _archive_members(exe):
            if name.endswith(".ui"):
                problems.append(f"{exe.name}:{name} is a Designer source file")
            scan(f"{exe.name}:{name}", data)
    base = bundle / "_internal" / "base_library.zip"
    if base.is_file():
        for name, data in _zip_members(base):
            scan(f"base_library.zip:{name}", data)
    return problems[:20]


def bundle_size(bundle: Path) -> int:
    return sum(p.lstat().st_size for p in bundle_files(bundle))


def check_size(size: int) -> list[str]:
    mib = size / 2**20
    if sys.platform.startswith("linux") and mib >= SIZE_TARGET_MIB:
        return [f"the bundle is {mib:.1f} MiB, over the {SIZE_TARGET_MIB} MiB target"]
    return []


# --- start-up time ----------------------------------------------------------------------------


def _probe_env(work: Path) -> dict[str, str]:
    """The same small environment for the frozen and the source runs."""
    env = {
        "HOME": str(work / "home"),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "QT_QPA_PLATFORM": "offscreen",
        "CSE_SCREEN_DATA_DIR": str(work / "data"),
        "CSE_SCREEN_CONFIG_DIR": str(work / "config"),
        "CSE_SCREEN_LOG_DIR": str(work / "logs"),
    }
    if sys.platform == "win32":
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
    return env


def _time_to_unlock(command: list[str], db: Path, env: dict[str, str]) -> float:
    """Seconds from starting the process to it reporting the unlock screen on screen."""
    start = time.perf_counter()
    with subprocess.Popen(
        [*command, "selftest", "--startup-probe", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    ) as process:
        assert process.stdout is not None
        line = process.stdout.readline()
        elapsed = time.perf_counter() - start
        process.wait(timeout=60)
    if not line.startswith("shown: UnlockWidget"):
        raise RuntimeError(f"{command[0]} did not reach the unlock screen")
    return elapsed


def startup_times(frozen: list[str], source: list[str]) -> tuple[float, float]:
    """Median start-up of each, after one warm-up run each, interleaved so load is shared."""
    work = Path(tempfile.mkdtemp(prefix="cse-screen-startup-"))
    try:
        env = _probe_env(work)
        db = work / "data" / "startup.db"
        init = [*frozen, "init", "--db", str(db), "--user", "it"]
        setup = env | {"CSE_SCREEN_KDF": "test", "CSE_SCREEN_PASSWORD": "startup-check-1"}
        subprocess.run(init, env=setup, check=True, capture_output=True, timeout=120)
        runs: dict[str, list[float]] = {"frozen": [], "source": []}
        for index in range(STARTUP_RUNS + 1):
            for name, command in (("frozen", frozen), ("source", source)):
                elapsed = _time_to_unlock(command, db, env)
                if index:
                    runs[name].append(elapsed)
        return statistics.median(runs["frozen"]), statistics.median(runs["source"])
    finally:
        shutil.rmtree(work, ignore_errors=True)


def build_paths() -> list[str]:
    """Folders of the build machine that must not appear in the bundle.

    The build Python's base prefix counts unless it is a system prefix such as ``/usr`` (a
    pyenv or a home-built Python lives in someone's home folder), which would match anything.
    """
    needles = [str(ROOT), str(Path(sys.prefix).resolve()), str(Path(sys.prefix))]
    base = Path(sys.base_prefix).resolve()
    if base not in (Path("/usr"), Path("/usr/local"), Path("/")) and len(base.parts) > 2:
        needles.append(str(base))
    return needles


def check_linux_linkage(bundle: Path, executable: Path) -> list[str]:
    """Linkage, search paths, run-time prefixes and the documented prerequisites (Linux only)."""
    if not sys.platform.startswith("linux"):
        return []
    missing = [tool for tool in ("readelf", "ldd") if shutil.which(tool) is None]
    if missing:
        return [f"{' and '.join(missing)} not found: install binutils and libc-bin"]
    problems, used = bundle_linkage.check_linkage(bundle)
    info = bundle_linkage.read_runtime_paths(executable)
    if info is None:
        problems.append(f"{executable.name} selftest --runtime-paths did not report its paths")
    else:
        problems += bundle_linkage.runtime_path_problems(info, bundle)
    documented = bundle_linkage.documented_packages(DEPLOYING.read_text(encoding="utf-8"))
    problems += bundle_linkage.prerequisite_problems(used, documented)
    print("system packages the bundle needs: " + " ".join(bundle_linkage.system_packages(used)))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path, nargs="?", default=ROOT / "dist" / "cse-screen")
    parser.add_argument("--source-python", help="interpreter of a source checkout, for the ratio")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    exes = executables(bundle)
    if not exes:
        print(f"check_bundle: no cse-screen executable in {bundle}", file=sys.stderr)
        return 1
    problems = check_driver(bundle) + check_contents(bundle) + check_paths(bundle, build_paths())
    problems += check_linux_linkage(bundle, exes[0])
    size = bundle_size(bundle)
    problems += check_size(size)
    print(f"bundle size: {size / 2**20:.1f} MiB ({size / 1e6:.1f} MB) in {bundle}")
    if args.source_python:
        frozen, source = startup_times([str(exes[0])], [args.source_python, "-m", "cse_screen"])
        print(
            f"start-up to the unlock screen (median of {STARTUP_RUNS}): frozen {frozen:.2f} s, "
            f"source {source:.2f} s, ratio {frozen / source:.2f}x (frozen / source)"
        )
    for problem in problems:
        print(f"check_bundle: {problem}", file=sys.stderr)
    if problems:
        return 1
    print(
        "check_bundle: SQLCipher driver present, no stock sqlite3, no sources, tests, data or "
        "build paths shipped, every library resolved in the bundle or the documented system base"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
