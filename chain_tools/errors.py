"""Errors raised by chain_tools.

ChainToolsError
├── CompilationError         solc failed or no usable compiler was found
├── ArtifactError            a committed artifact is missing, unreadable or stale
├── ChainConnectionError     the JSON-RPC endpoint or embedded chain cannot be reached
├── ContractReverted         a call or transaction reverted; carries the decoded custom error
├── TransactionFailed        a transaction was mined with status 0 or never confirmed
└── WorkspaceError           a Tanji workspace is missing, incomplete or inconsistent
    ├── WorkspaceMissingError    no workspace (or no keystore, no password) where one is expected
    ├── WorkspaceExistsError     `tanji init` on a directory that is a workspace already
    ├── WorkspaceMismatchError   the workspace disagrees with its chain (chain id, config version, funds)
    ├── WorkspaceDamagedError    a workspace file (config.json, a keystore) is unreadable or corrupt
    │   └── ChainDatabaseError   the embedded chain database is missing, empty, corrupt or lacks the deployment
    └── OperatorKeyError         the operator keystore does not decrypt with the password given
"""

from __future__ import annotations

from typing import Any


class ChainToolsError(Exception):
    """Base class of every chain_tools error."""


class CompilationError(ChainToolsError):
    """solc failed; `details` holds the compiler's full output."""

    def __init__(self, message: str, *, details: str = "") -> None:
        super().__init__(message)
        self.details = details


class ArtifactError(ChainToolsError):
    """A committed contract artifact is missing, unreadable or stale."""


class ChainConnectionError(ChainToolsError, ConnectionError):
    """The chain endpoint cannot be reached."""


class TransactionFailed(ChainToolsError):
    """A transaction was mined with status 0 or not confirmed in time."""


class WorkspaceError(ChainToolsError):
    """A Tanji workspace is missing, incomplete or inconsistent."""


class WorkspaceMissingError(WorkspaceError):
    """No workspace, keystore or operator password where one is expected."""


class WorkspaceExistsError(WorkspaceError):
    """The directory is a Tanji workspace already."""


class WorkspaceMismatchError(WorkspaceError):
    """The workspace and its chain disagree (chain id, config version, unfunded operator)."""


class WorkspaceDamagedError(WorkspaceError):
    """A workspace file (config.json, a keystore) is unreadable or corrupt; restore it from a backup."""


class ChainDatabaseError(WorkspaceDamagedError):
    """The embedded chain database is missing, empty or corrupt, or does not hold the deployed contracts.

    Never replaced silently by a new chain: every anchored proof of the workspace lives in it.
    """


class OperatorKeyError(WorkspaceError):
    """The operator keystore does not decrypt with the password given."""


class ContractReverted(ChainToolsError):
    """A contract call reverted with a decoded reason.

    `name` is the custom error's name (``"TanjiRootAlreadyAnchored"``), ``"Error"`` for a
    ``require`` string, ``"Panic"`` for a panic code, or ``"Unknown"`` when the data matches no ABI entry;
    `arguments` holds the decoded arguments by name (``Exception.args`` keeps the message), and `data` the raw
    revert bytes.
    """

    def __init__(self, name: str, args: dict[str, Any], data: bytes, *, context: str = "") -> None:
        self.name = name
        self.arguments = args
        self.data = data
        self.context = context
        rendered = ", ".join(f"{key}={_render(value)}" for key, value in args.items())
        prefix = f"{context}: " if context else ""
        super().__init__(f"{prefix}reverted with {name}({rendered})")


def _render(value: Any) -> str:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    return str(value)
