"""Errors of the Tanji domain core.

LedgerError
├── MerkleError              a Merkle batch or proof is malformed
└── SigningError             typed data cannot be built, signed or recovered
    └── SignatureMismatchError   a signature does not recover to the stated signer
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base class of every error raised by the ledger core."""


class MerkleError(LedgerError, ValueError):
    """A Merkle batch, leaf or proof is malformed."""


class SigningError(LedgerError, ValueError):
    """Typed data cannot be built, signed or recovered."""


class SignatureMismatchError(SigningError):
    """A signature recovers to another address than the stated signer."""
