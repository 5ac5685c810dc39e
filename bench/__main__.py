"""Run the benchmarks: every ``bench/bench_*.py`` module's ``main()``, or those named in $BENCH.

``make bench BENCH=store`` runs ``bench_store*.py`` only. Each module prints its own lines of the
form ``name: value unit (ratio x vs baseline)``; targets are printed beside the ratios.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
import time
from pathlib import Path


def _selected() -> list[str]:
    wanted = [w for w in os.environ.get("BENCH", "").replace(",", " ").split() if w]
    wanted += sys.argv[1:]
    names = sorted(
        info.name
        for info in pkgutil.iter_modules([str(Path(__file__).parent)])
        if info.name.startswith("bench_")
    )
    if not wanted:
        return names
    return [n for n in names if any(n.startswith(f"bench_{w}") for w in wanted)]


def main() -> int:
    names = _selected()
    if not names:
        print("no benchmarks selected")
        return 1
    for name in names:
        print(f"== {name}")
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        module.main()
        print(f"   ({time.perf_counter() - started:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
