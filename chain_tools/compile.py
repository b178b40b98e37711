"""Compile contracts/ with py-solc-x through a local compiler and write the committed artifacts.

The compiler is the pinned solc version: a native ``solc`` on PATH when it reports exactly that version,
otherwise solc-js from ``node_modules`` behind ``solcjs_wrapper.cjs``. Nothing is ever downloaded.
All sources (ours and the OpenZeppelin files they import) are embedded in the standard-JSON input, so
both compilers see identical input and produce identical bytecode.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

from chain_tools.errors import CompilationError

SOLC_VERSION = "0.8.37"
EVM_VERSION = "cancun"
OPTIMIZER_RUNS = 100000
GENERATOR = "chain_tools.compile"
DEPLOYABLE = ("TanjiLedger", "TanjiAttestations", "TanjiLabels")

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACTS_DIR = REPO_ROOT / "contracts"
NODE_MODULES = REPO_ROOT / "node_modules"
ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
WRAPPER = Path(__file__).resolve().parent / "solcjs_wrapper.cjs"

_IMPORT_RE = re.compile(r'^\s*import\s+(?:\{[^}]*\}\s+from\s+)?"([^"]+)"\s*;', re.MULTILINE)


def compiler_settings() -> dict[str, Any]:
    """Return the pinned standard-JSON settings (shared with hardhat.config.js)."""
    return {
        "evmVersion": EVM_VERSION,
        "optimizer": {"enabled": True, "runs": OPTIMIZER_RUNS},
        "outputSelection": {"*": {"*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"]}},
    }


def project_sources(contracts_dir: Path = CONTRACTS_DIR) -> dict[str, str]:
    """Return Tanji's own Solidity sources keyed by repository-relative path."""
    return {
        path.relative_to(contracts_dir.parent).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(contracts_dir.rglob("*.sol"))
    }


def source_sha256(sources: dict[str, str]) -> str:
    """Hash (path, content) pairs in path order: the freshness fingerprint of the artifacts."""
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + sources[name].encode() + b"\0")
    return digest.hexdigest()


def resolve_imports(sources: dict[str, str], node_modules: Path = NODE_MODULES) -> dict[str, str]:
    """Add every transitively imported file (relative or from node_modules) to `sources`."""
    resolved = dict(sources)
    pending = list(sources)
    while pending:
        unit = pending.pop()
        for target in _IMPORT_RE.findall(resolved[unit]):
            name = _import_unit_name(unit, target)
            if name in resolved:
                continue
            path = (REPO_ROOT / name) if name.startswith("contracts/") else (node_modules / name)
            if not path.is_file():
                raise CompilationError(
                    f"{unit} imports {target!r}, which is not at {path}; run `npm ci` to install "
                    "@openzeppelin/contracts"
                )
            resolved[name] = path.read_text(encoding="utf-8")
            pending.append(name)
    return resolved


def _import_unit_name(unit: str, target: str) -> str:
    if not target.startswith("."):
        return target
    parts: list[str] = unit.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


def find_compiler() -> Path:
    """Return a native solc of the pinned version if on PATH, else the solc-js wrapper."""
    native = shutil.which("solc")
    if native:
        out = subprocess.run([native, "--version"], capture_output=True, text=True, check=False).stdout
        if f"Version: {SOLC_VERSION}+" in out:
            return Path(native)
    if not (NODE_MODULES / "solc" / "soljson.js").is_file():
        raise CompilationError(
            f"no solc {SOLC_VERSION} found: put a native solc {SOLC_VERSION} on PATH or run `npm ci` "
            "(installs solc-js); compilers are never downloaded"
        )
    return WRAPPER


def compiler_version(binary: Path) -> str:
    """Return ``0.8.x+commit.HASH`` (platform suffix dropped: solc-js and native builds agree)."""
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"Version: (\d+\.\d+\.\d+\+commit\.[0-9a-f]+)", out)
    if not match:
        raise CompilationError(f"{binary} --version printed no solc version: {out.strip()!r}")
    return match.group(1)


def compile_contracts(*, solc_binary: Path | None = None) -> dict[str, dict[str, Any]]:
    """Compile all sources; return one artifact dict per deployable contract."""
    import solcx
    from solcx.exceptions import SolcError

    binary = solc_binary or find_compiler()
    own = project_sources()
    input_json = {
        "language": "Solidity",
        "sources": {name: {"content": text} for name, text in sorted(resolve_imports(own).items())},
        "settings": compiler_settings(),
    }
    try:
        output = solcx.compile_standard(input_json, solc_binary=binary)
        version = compiler_version(binary)
    except SolcError as exc:
        raise CompilationError(f"solc failed: {str(exc).splitlines()[0]}", details=str(exc)) from exc
    fingerprint = source_sha256(own)
    artifacts: dict[str, dict[str, Any]] = {}
    for unit, contracts in output["contracts"].items():
        for name, data in contracts.items():
            if name not in DEPLOYABLE:
                continue
            artifacts[name] = {
                "generator": GENERATOR,
                "solc": version,
                "settings": {key: value for key, value in compiler_settings().items() if key != "outputSelection"},
                "source_sha256": fingerprint,
                "source": unit,
                "contractName": name,
                "abi": data["abi"],
                "bytecode": "0x" + data["evm"]["bytecode"]["object"],
                "deployedBytecode": "0x" + data["evm"]["deployedBytecode"]["object"],
            }
    missing = set(DEPLOYABLE) - set(artifacts)
    if missing:
        raise CompilationError(f"solc produced no output for {sorted(missing)}")
    return artifacts


def write_artifacts(artifacts: dict[str, dict[str, Any]], directory: Path = ARTIFACTS_DIR) -> list[Path]:
    """Write each artifact as pretty JSON; return the written paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, artifact in sorted(artifacts.items()):
        path = directory / f"{name}.json"
        path.write_text(json.dumps(artifact, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    """Entry point of `python -m chain_tools.compile`."""
    for path in write_artifacts(compile_contracts()):
        print(f"wrote {path.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
