"""Start and stop local JSON-RPC dev nodes (Hardhat 3, anvil) on a free loopback port.

Used by the test fixtures and `tanji bench`; both nodes come from node_modules (npm ci), nothing is downloaded.
The well-known dev accounts of both nodes derive from the "test test ... junk" mnemonic.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from chain_tools.errors import ChainConnectionError

REPO_ROOT = Path(__file__).resolve().parent.parent
DEV_KEYS = (
    "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
    "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
    "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
    "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
)


@dataclass(frozen=True)
class DevNode:
    """A running dev node."""

    kind: str
    url: str
    pid: int
    log_path: Path


def free_port() -> int:
    """Return a free TCP port on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rpc_ready(url: str) -> bool:
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=1) as response:
            return "result" in json.loads(response.read())
    except OSError:
        return False


def node_command(kind: str, port: int) -> list[str]:
    """Return the command line that starts a `kind` node ("hardhat" or "anvil") on `port`."""
    if kind == "hardhat":
        npx = shutil.which("npx")
        if npx is None:
            raise ChainConnectionError("npx not found: install Node.js 20+ and run `npm ci` to use a Hardhat node")
        return [npx, "hardhat", "node", "--hostname", "127.0.0.1", "--port", str(port)]
    if kind == "anvil":
        binary = REPO_ROOT / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
        if not binary.is_file():
            raise ChainConnectionError(f"anvil not found at {binary}; run `npm ci`")
        return [str(binary), "--port", str(port), "--hardfork", "prague", "--prune-history", "--silent"]
    raise ChainConnectionError(f"unknown node kind {kind!r}; use 'hardhat' or 'anvil'")


@contextmanager
def dev_node(kind: str = "hardhat", *, startup_timeout: float = 90.0) -> Iterator[DevNode]:
    """Start a `kind` node on a free loopback port, yield it once it answers, stop it afterwards."""
    port = free_port()
    log_dir = Path(tempfile.mkdtemp(prefix=f"tanji-{kind}-"))
    log_path = log_dir / "node.log"
    env = {**os.environ, "FOUNDRY_DISABLE_NIGHTLY_WARNING": "1"}
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            node_command(kind, port),
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_timeout
        while not _rpc_ready(url):
            if process.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-2000:]
                raise ChainConnectionError(f"{kind} node did not start on {url}; its log ends with:\n{tail}")
            time.sleep(0.2)
        yield DevNode(kind=kind, url=url, pid=process.pid, log_path=log_path)
    finally:
        _stop(process)
        shutil.rmtree(log_dir, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            return
        process.wait(timeout=10)
