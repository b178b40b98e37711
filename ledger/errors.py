"""Errors of the Tanji domain core.

LedgerError
├── DeclarationError            a declaration (payload, envelope or extension) is invalid
│   └── (PactValidationError, DigestMismatchError, MessageMismatchError, PayloadTooLargeError, ...)
├── MerkleError                 a Merkle batch or proof is malformed
├── SigningError                typed data cannot be built, signed or recovered
│   └── SignatureMismatchError  a signature does not recover to the stated signer
├── ChainRejectedError          the chain refused (named contract error and arguments)
├── ChainUnavailableError       the chain cannot be reached now (retry later; nothing is lost)
└── IngestError                 a submission is refused (duplicate id, reused nonce, wrong chain, not a member)
"""

from __future__ import annotations


class LedgerError(Exception):
    """Base class of every error raised by the ledger core."""


class DeclarationError(LedgerError, ValueError):
    """A declaration payload, envelope or extension is invalid."""


class MerkleError(LedgerError, ValueError):
    """A Merkle batch, leaf or proof is malformed."""


class SigningError(LedgerError, ValueError):
    """Typed data cannot be built, signed or recovered."""


class SignatureMismatchError(SigningError):
    """A signature recovers to another address than the stated signer."""


class ChainRejectedError(LedgerError):
    """The chain refused: `name` is the contract error, `arguments` its decoded arguments."""

    def __init__(self, name: str, arguments: dict[str, object], message: str) -> None:
        super().__init__(message)
        self.name = name
        self.arguments = arguments


class ChainUnavailableError(LedgerError, ConnectionError):
    """The chain cannot be reached; the operation can be retried later."""


class IngestError(LedgerError):
    """A submission is refused for a reason other than its content's validity."""


class SupplyChainError(LedgerError, ValueError):
    """The supply chain cannot be rolled up as declared."""


class UnknownProductError(SupplyChainError, KeyError):
    """An input names a product that no declaration and no emission factor covers."""

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidQuantityError(SupplyChainError):
    """A quantity is negative, not a number, or given twice for the same input."""


class UnitConversionError(SupplyChainError):
    """A quantity's unit cannot be converted into the upstream product's declared unit."""


class SelfConsumptionError(SupplyChainError):
    """A product consumes, directly or through a loop, a unit or more of itself per unit made."""


class DivergentLoopError(SupplyChainError):
    """The total re-consumption around a loop does not converge."""
