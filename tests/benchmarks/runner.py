"""Runs a script of benchmarks/ the way the smoke tests do: a fresh process without the caller's SHOPOPS_*
settings (the script makes its own data dir), its JSON answer parsed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def run_benchmark(script: str, *args: str, timeout: int) -> dict:
    """``benchmarks/<script>`` with ``args`` and ``--json``; fails the test with its stderr when it fails."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHOPOPS_")}
    result = subprocess.run([sys.executable, str(BENCHMARKS / script), *args, "--json"], capture_output=True,
                            text=True, timeout=timeout, env=env, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)
