"""Run every bench/bench_*.py in turn (`python -m bench [NAME ...]`)."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path


def main(names: list[str]) -> int:
    here = Path(__file__).parent
    modules = sorted(here.glob("bench_*.py"))
    if names:
        modules = [m for m in modules if any(n in m.stem for n in names)]
    if not modules:
        print("no benchmark matched")
        return 1
    for module in modules:
        print(f"== {module.stem} ==", flush=True)
        runpy.run_path(str(module), run_name="__main__")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
