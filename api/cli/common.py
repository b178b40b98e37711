"""Helpers shared by the CLI command modules."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def home_of(args: argparse.Namespace) -> Path:
    """Return the workspace directory chosen by --home, $TANJI_HOME or the default."""
    from chain_tools.workspace import default_home

    home: Path | None = getattr(args, "home", None)
    return (home or default_home()).expanduser()


def emit(data: Any, *, as_json: bool, text: str) -> None:
    """Print `data` as JSON or `text` for people."""
    print(json.dumps(data, indent=2, default=str) if as_json else text)


def hexstr(value: bytes) -> str:
    """Return 0x-prefixed hex."""
    return "0x" + value.hex()


def address_arg(text: str) -> str:
    """argparse type: a 20-byte hex address (checksummed when mixed case)."""
    from ledger.addresses import checksum, is_address

    if not is_address(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not an Ethereum address (0x followed by 40 hex digits)")
    return checksum(text)
