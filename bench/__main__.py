"""Run the benchmarks: every ``bench/bench_*.py`` module's ``main()``, or those named in $BENCH.

``make bench BENCH=store`` runs ``bench_store*.py`` only. Each module prints its own lines of the
form ``name: value unit (ratio x vs baseline)``; targets are printed beside the ratios.

Each module runs in a process of its own: SQLCipher's memory security is a process-wide switch
that the first keyed connection turns on, and a benchmark that measures "with it off" (or peak
memory) would otherwise inherit whatever an earlier module left behind.
"""

from __future__ import annotations

import os
import pkgutil
import subprocess
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
    failed = []
    for name in names:
        print(f"== {name}", flush=True)
        started = time.perf_counter()
        code = f"import bench.{name} as m; m.main()"
        result = subprocess.run([sys.executable, "-c", code], check=False)
        print(f"   ({time.perf_counter() - started:.1f} s)", flush=True)
        if result.returncode != 0:
            failed.append(name)
    if failed:
        print(f"failed: {', '.join(failed)}")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
