"""What a Linux bundle loads at run time, and from where: the checks behind IT's prerequisites.

A bundle is self-contained only if every shared library it loads comes from the bundle itself
or from the small system base IT installs on every laptop (:data:`SYSTEM_BASE`, which is what
``docs/deploying.md`` lists as the prerequisites; a test keeps the two the same). Three ways a
build machine leaks into a bundle, each of which once went unnoticed:

* a library resolved by ``ldd`` to a system library outside that base (the laptop may lack it);
* a RUNPATH or RPATH naming a folder outside the bundle (a pyenv Python's libpython carries one
  into the build machine's home folder: on a laptop it points nowhere, or somewhere hostile);
* ``sys.base_prefix`` or ``sys.path`` of the running bundle naming a folder outside it.

The parsing is kept apart from running ``readelf`` and ``ldd`` so the rules can be tested on
recorded output. Used by ``check_bundle.py``; standard library only.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

# Sonames the bundle may take from the system, and the Debian 12 package that provides each.
# Everything else must be inside the bundle. Keep docs/deploying.md's prerequisites in step.
SYSTEM_BASE: dict[str, str] = {
    "linux-vdso.so.1": "(kernel)",
    "ld-linux-x86-64.so.2": "libc6",
    "libc.so.6": "libc6",
    "libm.so.6": "libc6",
    "libdl.so.2": "libc6",
    "libpthread.so.0": "libc6",
    "librt.so.1": "libc6",
    "libutil.so.1": "libc6",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1",
    "libxcb.so.1": "libxcb1",
}

# Packages the bundle needs that hold no library it links: fontconfig's configuration, a font.
DATA_PACKAGES: tuple[str, ...] = ("fontconfig-config", "fonts-dejavu-core")

ELF_MAGIC = b"\x7fELF"
_LDD_RESOLVED = re.compile(r"^\s*(\S+)\s+=>\s+(\S+)(?:\s+\(0x[0-9a-f]+\))?\s*$")
_LDD_DIRECT = re.compile(r"^\s*(\S+)\s+\(0x[0-9a-f]+\)\s*$")
_DYNAMIC = re.compile(r"\((NEEDED|RUNPATH|RPATH)\)\s+[^\[]*\[(.*)\]\s*$")


@dataclass
class Dynamic:
    """The parts of an ELF dynamic section that say where libraries come from."""

    needed: list[str] = field(default_factory=list)
    search: list[tuple[str, str]] = field(default_factory=list)  # (RUNPATH or RPATH, entry)


def is_elf(path: Path) -> bool:
    if path.is_symlink() or not path.is_file():
        return False
    with path.open("rb") as handle:
        return handle.read(4) == ELF_MAGIC


def elf_files(bundle: Path) -> list[Path]:
    """Every ELF file in the bundle (executables, libraries, Python extensions, Qt plugins)."""
    return [p for p in sorted(bundle.rglob("*")) if is_elf(p)]


def parse_dynamic(text: str) -> Dynamic:
    """``readelf -d -W`` output -> NEEDED names and RUNPATH/RPATH entries."""
    found = Dynamic()
    for line in text.splitlines():
        match = _DYNAMIC.search(line)
        if match is None:
            continue
        kind, value = match.groups()
        if kind == "NEEDED":
            found.needed.append(value)
        else:
            found.search.extend((kind, entry) for entry in value.split(":") if entry)
    return found


def parse_ldd(text: str) -> dict[str, str | None]:
    """``ldd`` output -> each library's name and the file it resolved to (None: not found)."""
    resolved: dict[str, str | None] = {}
    for line in text.splitlines():
        if "=>" in line:
            match = _LDD_RESOLVED.match(line)
            if match:
                name, target = match.groups()
                resolved[name] = None if target == "not" else target
            elif line.strip().endswith("not found"):
                resolved[line.split("=>")[0].strip()] = None
        else:
            match = _LDD_DIRECT.match(line)
            if match:
                name = match.group(1)
                resolved[Path(name).name] = name if name.startswith("/") else None
    return resolved


def inside(path: str | Path, bundle: Path) -> bool:
    """Whether an absolute path lies in the bundle (a relative one depends on the cwd: never)."""
    resolved = Path(os.path.normpath(path))
    return resolved.is_absolute() and (resolved == bundle or bundle in resolved.parents)


def expand_origin(entry: str, library: Path) -> str:
    """A RUNPATH entry with ``$ORIGIN`` (the library's own folder) filled in, normalised."""
    origin = str(library.parent)
    value = entry.replace("${ORIGIN}", origin).replace("$ORIGIN", origin)
    return os.path.normpath(value)


def search_path_problems(library: Path, dynamic: Dynamic, bundle: Path) -> list[str]:
    """A RUNPATH or RPATH entry that leads outside the bundle (or is relative to the cwd)."""
    problems = []
    rel = library.relative_to(bundle)
    for kind, entry in dynamic.search:
        target = expand_origin(entry, library)
        if not inside(target, bundle):
            problems.append(f"{rel} has {kind} {entry}, which leads outside the bundle")
    return problems


def resolution_problems(
    library: Path, resolved: dict[str, str | None], bundle: Path, used: dict[str, str]
) -> list[str]:
    """A dependency not found, or found on the system outside the allowed base.

    ``used`` collects the system libraries actually resolved (soname -> file), for the listing.
    """
    problems = []
    rel = library.relative_to(bundle)
    for name, target in resolved.items():
        if target is None:
            if name not in SYSTEM_BASE:
                problems.append(f"{rel} needs {name}, which is neither in the bundle nor found")
            continue
        if inside(target, bundle):
            continue
        if name in SYSTEM_BASE or Path(target).name in SYSTEM_BASE:
            used[name] = target
        else:
            problems.append(
                f"{rel} loads {name} from the system ({target}), which is not in the "
                "prerequisites: bundle it, or add its package to SYSTEM_BASE and the docs"
            )
    return problems


def runtime_path_problems(info: dict[str, object], bundle: Path) -> list[str]:
    """The running bundle's prefixes and import path must all lie inside the bundle."""
    problems = []
    for key in ("executable", "prefix", "base_prefix", "exec_prefix", "base_exec_prefix"):
        value = info.get(key)
        if not isinstance(value, str) or not inside(value, bundle):
            problems.append(f"at run time sys.{key} is {value!r}, outside the bundle")
    entries = info.get("path")
    if not isinstance(entries, list):
        return [*problems, "at run time sys.path could not be read"]
    for entry in entries:
        if not isinstance(entry, str) or not inside(entry, bundle):
            problems.append(f"at run time sys.path holds {entry!r}, outside the bundle")
    return problems


# --- running the tools ------------------------------------------------------------------------


def _run(command: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)


def read_dynamic(library: Path) -> Dynamic | None:
    done = _run(["readelf", "-d", "-W", str(library)])
    return parse_dynamic(done.stdout) if done.returncode == 0 else None


def _ldd_env(bundle: Path) -> dict[str, str]:
    """What the bundle's own loader sees: its _internal folder first, nothing of the caller's."""
    internal = bundle / "_internal"
    return {
        "PATH": "/usr/bin:/bin",
        "LD_LIBRARY_PATH": str(internal if internal.is_dir() else bundle),
    }


def read_ldd(library: Path, bundle: Path) -> dict[str, str | None] | None:
    done = _run(["ldd", str(library)], env=_ldd_env(bundle))
    if done.returncode != 0 and "not a dynamic executable" in (done.stdout + done.stderr):
        return {}
    return parse_ldd(done.stdout) if done.returncode == 0 else None


def check_linkage(bundle: Path, files: Iterable[Path] | None = None) -> tuple[list[str], dict]:
    """Problems over every ELF file in the bundle, and the system libraries it resolved."""
    problems: list[str] = []
    used: dict[str, str] = {}
    for library in elf_files(bundle) if files is None else files:
        rel = library.relative_to(bundle)
        dynamic = read_dynamic(library)
        if dynamic is None:
            problems.append(f"{rel} could not be read by readelf")
            continue
        problems += search_path_problems(library, dynamic, bundle)
        resolved = read_ldd(library, bundle)
        if resolved is None:
            problems.append(f"{rel} could not be read by ldd")
            continue
        problems += resolution_problems(library, resolved, bundle, used)
    return problems, used


def read_runtime_paths(executable: Path) -> dict[str, object] | None:
    """The running bundle's sys prefixes and path, from ``selftest --runtime-paths``."""
    done = _run([str(executable), "selftest", "--runtime-paths"], env={})
    if done.returncode != 0:
        return None
    try:
        info = json.loads(done.stdout)
    except json.JSONDecodeError:
        return None
    return info if isinstance(info, dict) else None


def system_packages(used: dict[str, str]) -> list[str]:
    """The Debian packages the resolved system libraries come from, plus the data packages."""
    packages = {
        SYSTEM_BASE.get(name) or SYSTEM_BASE[Path(path).name] for name, path in used.items()
    }
    return sorted(p for p in packages | set(DATA_PACKAGES) if not p.startswith("("))


# --- the documented prerequisites -------------------------------------------------------------

PREREQUISITES_MARKER = "<!-- prerequisites: checked against ldd by scripts/check_bundle.py -->"


def documented_packages(markdown: str) -> list[str] | None:
    """The packages of the ``apt-get install`` line in the first code block after the marker."""
    _, found, rest = markdown.partition(PREREQUISITES_MARKER)
    if not found:
        return None
    for line in rest.split("```", 2)[1].splitlines():
        words = line.split()
        if "install" in words:
            after = words[words.index("install") + 1 :]
            return [w for w in after if not w.startswith("-")]
    return None


def prerequisite_problems(used: dict[str, str], documented: list[str] | None) -> list[str]:
    """The docs must name exactly the packages the bundle resolved from the system."""
    if documented is None:
        return ["docs/deploying.md has no prerequisites block (its marker or apt-get line)"]
    needed, listed = set(system_packages(used)), set(documented)
    problems = [
        f"the bundle needs the package {p}, which docs/deploying.md does not list"
        for p in sorted(needed - listed)
    ]
    problems += [
        f"docs/deploying.md lists the package {p}, which the bundle does not need"
        for p in sorted(listed - needed)
    ]
    return problems
