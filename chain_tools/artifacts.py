"""Load the committed contract artifacts (ABI, bytecode) and check they match contracts/."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from chain_tools.errors import ArtifactError

ARTIFACTS_DIR = Path(__file__).resolve().parent / "artifacts"
CONTRACTS_DIR = Path(__file__).resolve().parent.parent / "contracts"


@cache
def load_artifact(name: str) -> dict[str, Any]:
    """Return the artifact of contract `name` (e.g. ``"TanjiLedger"``)."""
    path = ARTIFACTS_DIR / f"{name}.json"
    try:
        artifact: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArtifactError(
            f"no artifact for contract {name!r} at {path}; run `make artifacts` to compile contracts/"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ArtifactError(f"artifact {path} is not valid JSON ({exc}); run `make artifacts`") from exc
    for key in ("abi", "bytecode", "solc", "source_sha256"):
        if key not in artifact:
            raise ArtifactError(f"artifact {path} lacks {key!r}; run `make artifacts`")
    return artifact


def artifact_names() -> list[str]:
    """Return the names of every committed artifact."""
    return sorted(path.stem for path in ARTIFACTS_DIR.glob("*.json"))


def stale_artifacts() -> list[str]:
    """Return the artifacts whose recorded source hash differs from the current contracts/ sources."""
    from chain_tools.compile import project_sources, source_sha256

    current = source_sha256(project_sources(CONTRACTS_DIR))
    return [name for name in artifact_names() if load_artifact(name)["source_sha256"] != current]
