"""`tanji bench cli`: how fast the CLI answers, next to a bare interpreter start measured in the same run.

Each command runs `repeat` times in a fresh process (median wall time). `declare sign` and `chain status` run
against a throw-away workspace (created untimed: `tanji init` on the embedded chain, one wallet).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from api.errors import BenchmarkError

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "declarations" / "hot-rolled-coil.json"
PASSWORD = "bench-cli-password"


def _median_wall(argv: list[str], env: dict[str, str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise BenchmarkError(f"{' '.join(argv[2:])} failed: {done.stderr.strip()[-300:]}")
    return statistics.median(times)


def _imports_web3(argv: list[str], env: dict[str, str]) -> bool:
    """Run `argv` in-process under a probe and report whether web3 was imported."""
    probe = (
        "import sys, runpy; sys.argv = ['tanji', *sys.argv[1:]]\n"
        "try:\n    runpy.run_module('api.cli.main', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('WEB3' if 'web3' in sys.modules else 'NO-WEB3', file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", probe, *argv], env=env, capture_output=True, text=True, check=False)
    return "NO-WEB3" not in done.stderr


def run(repeat: int = 5, on_step: Callable[[int], None] = lambda _n: None) -> dict[str, Any]:
    """Measure `tanji --help`, `tanji declare sign`, `tanji chain status` and `python -c pass` (5 steps)."""
    with tempfile.TemporaryDirectory(prefix="tanji-bench-cli-") as tmp:
        home = Path(tmp) / "home"
        env = {**os.environ, "TANJI_WALLET_PASSWORD": PASSWORD, "TANJI_HOME": str(home)}
        tanji = [sys.executable, "-m", "api.cli.main"]
        subprocess.run([*tanji, "init"], env=env, capture_output=True, check=True)
        subprocess.run([*tanji, "wallet", "new", "bench"], env=env, capture_output=True, check=True)
        on_step(1)
        config = json.loads((home / "config.json").read_text(encoding="utf-8"))["deployment"]
        signed = Path(tmp) / "signed.json"
        sign = ["declare", "sign", str(EXAMPLE), "--wallet", "bench", "-o", str(signed), "--org", "acme-steel"]
        sign += ["--chain-id", str(config["chain_id"]), "--contract", config["ledger"]]
        python_s = _median_wall([sys.executable, "-c", "pass"], env, repeat)
        help_s = _median_wall([*tanji, "--help"], env, repeat)
        on_step(1)
        sign_s = _median_wall([*tanji, *sign], env, repeat)
        on_step(1)
        status_s = _median_wall([*tanji, "chain", "status"], env, repeat)
        on_step(1)
        web3 = {
            "help": _imports_web3(["--help"], env),
            "declare_sign": _imports_web3(sign, env),
            "wallet_list": _imports_web3(["wallet", "list"], env),
        }
    return {
        "benchmark": "cli",
        "repeat": repeat,
        "method": "median wall time of a fresh process per run; python_s is `python -c pass` in the same run",
        "python_s": round(python_s, 4),
        "help_s": round(help_s, 4),
        "declare_sign_s": round(sign_s, 4),
        "chain_status_s": round(status_s, 4),
        "help_to_python": round(help_s / python_s, 2),
        "declare_sign_to_python": round(sign_s / python_s, 2),
        "chain_status_to_python": round(status_s / python_s, 2),
        "imports_web3": web3,
    }
