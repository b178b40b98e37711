"""Errors of the Tanji domain core, one class per rule broken.

Every error belongs to one of five kinds, and `api.errors` maps each kind (and, where it matters, each class) to a
CLI exit code, an HTTP status and a PACT error code:

LedgerError
├── InvalidInputError                  the input itself is malformed or breaks a rule (HTTP 422)
│   ├── DeclarationError               a declaration (payload, envelope or extension) is invalid
│   │   ├── PactValidationError        the payload breaks the PACT v3 schema or rules
│   │   ├── PayloadTooLargeError       the envelope exceeds the size limit
│   │   ├── DigestMismatchError        payload and salts do not hash to the signed digest
│   │   ├── MessageMismatchError       a signed message field disagrees with the payload
│   │   └── SupersessionConsentError   a supersession consent is malformed or not signed by the declarant
│   ├── MerkleError                    a Merkle batch, leaf or proof is malformed
│   ├── SigningError                   typed data cannot be built, signed or recovered
│   │   └── SignatureMismatchError     a signature does not recover to the stated signer
│   ├── WrongSigningDomainError        signed for another chain or contract than this ledger's
│   ├── UnknownRoleError               a role name is not one of the consortium roles
│   ├── UnknownReasonError             a revocation or suspension reason is not one of the codes
│   ├── InvalidLabelError              label fields (serial, grade, validity) are malformed
│   ├── InvalidOrganizationError       an organization handle is empty or malformed
│   ├── InvalidWalletError             a wallet name is malformed or its password too weak
│   ├── InvalidTrustAnchorsError       a trust anchors file (chain id + contract addresses) is malformed
│   ├── ChainInvalidInputError         the chain refused malformed arguments (zero values, bad codes)
│   └── SupplyChainError               the supply chain cannot be rolled up as declared
│       ├── InvalidQuantityError       a quantity is negative, not a number, or given twice
│       ├── UnitConversionError        a quantity's unit cannot be converted to the declared unit
│       ├── SelfConsumptionError       a product consumes a unit or more of itself per unit made
│       └── DivergentLoopError         the re-consumption around a loop does not converge
├── NotFoundError                      what the request names does not exist here (HTTP 404)
│   ├── DeclarationNotFoundError       no declaration with that id or digest
│   ├── UnknownProductError            no current declaration or factor covers a product
│   ├── WalletNotFoundError            no local wallet of that name
│   └── ChainNotFoundError             the chain knows no such root, leaf, member or label
├── ConflictError                      the request conflicts with the current state (HTTP 409)
│   ├── DeclarationNotAnchoredError    the declaration is not anchored yet
│   ├── DuplicateDeclarationIdError    the id is already declared with another digest
│   ├── NonceReusedError               the declarant already used this nonce
│   ├── AlreadySupersededError         the predecessor is already superseded by another declaration
│   ├── UnattestedDeclarationError     no positive, standing attestation (a label needs one)
│   ├── WalletExistsError              a wallet of that name exists already
│   └── ChainConflictError             the chain refused because of its current state (final, duplicate, ...)
├── NotAllowedError                    the caller has no right to do this (HTTP 403)
│   ├── AccessDeniedError              the organization may not read the declaration
│   ├── NotDeclarantError              only the declaring organization may do this
│   ├── ProductOwnedElsewhereError     the product id belongs to another organization
│   ├── NotAMemberError                the signing key is not an active member key with the needed role
│   ├── WrongPasswordError             a wallet cannot be decrypted with the password given
│   └── ChainNotAllowedError           the chain refused the caller (missing role, not the issuer, ...)
├── ChainRejectedError                 the chain refused: `name` and `arguments` of the contract error; every
│                                      refusal is raised as the Chain*Error of its kind above
├── ConfidentialityError               a data key is missing or a ciphertext does not authenticate (HTTP 500)
└── ChainUnavailableError              the chain cannot be reached now; retry later, nothing is lost (HTTP 503)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class LedgerError(Exception):
    """Base class of every error raised by the ledger core."""


# --- invalid input (422) -------------------------------------------------------------------------------------------


class InvalidInputError(LedgerError, ValueError):
    """The input is malformed or breaks a rule of its own (not of the ledger's state)."""


class DeclarationError(InvalidInputError):
    """A declaration payload, envelope or extension is invalid."""


class PactValidationError(DeclarationError):
    """The payload is not a valid PACT v3 ProductFootprint; `violations` lists every problem found."""

    def __init__(self, violations: Sequence[Any]) -> None:
        self.violations = list(violations)
        shown = "; ".join(str(v) for v in self.violations[:5])
        more = f" (and {len(self.violations) - 5} more)" if len(self.violations) > 5 else ""
        super().__init__(f"invalid PACT v3 ProductFootprint: {shown}{more}")


class PayloadTooLargeError(DeclarationError):
    """The envelope exceeds the size limit."""


class DigestMismatchError(DeclarationError):
    """The payload (with its salts) does not hash to the signed digest."""


class MessageMismatchError(DeclarationError):
    """A signed message field disagrees with the payload it claims to describe."""


class SupersessionConsentError(DeclarationError):
    """A supersession consent carried in an envelope is malformed, names no stored predecessor, or is not signed
    by the successor's declarant."""


class MerkleError(InvalidInputError):
    """A Merkle batch, leaf or proof is malformed."""


class SigningError(InvalidInputError):
    """Typed data cannot be built, signed or recovered."""


class SignatureMismatchError(SigningError):
    """A signature recovers to another address than the stated signer."""


class WrongSigningDomainError(InvalidInputError):
    """A declaration was signed for another chain or contract than this ledger's."""


class UnknownRoleError(InvalidInputError):
    """A role name is not one of the consortium roles."""


class UnknownReasonError(InvalidInputError):
    """A reason name or code is not one of the reason codes the contracts accept."""


class InvalidLabelError(InvalidInputError):
    """A label's serial, grade or validity window is malformed."""


class InvalidWalletError(InvalidInputError):
    """A wallet name is malformed or its password too weak, or no password can be asked for."""


class InvalidTrustAnchorsError(InvalidInputError):
    """A trust anchors file (the consortium's chain id and contract addresses) is missing fields or malformed."""


class InvalidOrganizationError(InvalidInputError):
    """An organization handle is empty or malformed."""


class SupplyChainError(InvalidInputError):
    """The supply chain cannot be rolled up as declared."""


class InvalidQuantityError(SupplyChainError):
    """A quantity is negative, not a number, or given twice for the same input."""


class UnitConversionError(SupplyChainError):
    """A quantity's unit cannot be converted into the upstream product's declared unit."""


class SelfConsumptionError(SupplyChainError):
    """A product consumes, directly or through a loop, a unit or more of itself per unit made."""


class DivergentLoopError(SupplyChainError):
    """The total re-consumption around a loop does not converge."""


# --- not found (404) -----------------------------------------------------------------------------------------------


class NotFoundError(LedgerError, LookupError):
    """What the request names does not exist here."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class DeclarationNotFoundError(NotFoundError):
    """No declaration with that id or digest is in this ledger."""


class UnknownProductError(NotFoundError, SupplyChainError):
    """An input names a product that no current declaration and no emission factor covers."""


class WalletNotFoundError(NotFoundError):
    """No local wallet of that name."""


# --- conflicts with the current state (409) ------------------------------------------------------------------------


class ConflictError(LedgerError):
    """The request is well formed but conflicts with the current state."""


class DeclarationNotAnchoredError(ConflictError):
    """The declaration is not anchored yet (anchor it first)."""


class DuplicateDeclarationIdError(ConflictError):
    """The declaration id is already declared with another digest."""


class NonceReusedError(ConflictError):
    """The declarant already used this nonce for another declaration."""


class AlreadySupersededError(ConflictError):
    """The predecessor is already superseded by another declaration."""


class UnattestedDeclarationError(ConflictError):
    """The declaration has no positive, standing third-party attestation (a label needs one)."""


class WalletExistsError(ConflictError):
    """A wallet of that name exists already."""


class ChainRejectedError(LedgerError):
    """The chain refused: `name` is the contract error, `arguments` its decoded arguments.

    Not raised itself: :func:`chain_rejection` picks the subclass of the error's kind
    (`ledger.codes.CONTRACT_ERROR_KINDS`): invalid input, not found, conflict or not allowed.
    """

    def __init__(self, name: str, arguments: dict[str, object], message: str) -> None:
        super().__init__(message)
        self.name = name
        self.arguments = arguments


class ChainConflictError(ChainRejectedError, ConflictError):
    """The chain refused because of its current state (already final, already anchored, label state, ...)."""


class ChainInvalidInputError(ChainRejectedError, InvalidInputError):
    """The chain refused malformed arguments (zero values, bad codes, bad signature, ...)."""


class ChainNotFoundError(ChainRejectedError, NotFoundError):
    """The chain knows no such root, leaf, member or label."""


# --- not allowed (403) ---------------------------------------------------------------------------------------------


class NotAllowedError(LedgerError, PermissionError):
    """The caller has no right to do this."""


class AccessDeniedError(NotAllowedError):
    """The requesting organization has no right to read a declaration."""


class NotDeclarantError(NotAllowedError):
    """Only the declaring organization may do this (grant, supersede)."""


class ProductOwnedElsewhereError(NotAllowedError):
    """The product id belongs to another organization (its ``urn:tanji:<org>:`` namespace, or the organization
    whose declaration of it was anchored first); only that organization may declare it."""


class NotAMemberError(NotAllowedError):
    """The signing key is not an active key of its organization with the needed role."""


class WrongPasswordError(NotAllowedError):
    """A wallet or keystore cannot be decrypted with the password given."""


class ChainNotAllowedError(ChainRejectedError, NotAllowedError):
    """The chain refused the caller (missing role, not the declarant, not the issuer, suspended, ...)."""


# --- the store and the chain ---------------------------------------------------------------------------------------


class ConfidentialityError(LedgerError):
    """A data key is missing or a stored ciphertext does not authenticate."""


class ChainUnavailableError(LedgerError, ConnectionError):
    """The chain cannot be reached; the operation can be retried later."""


def chain_rejection(name: str, arguments: dict[str, object], message: str) -> ChainRejectedError:
    """The ChainRejectedError subclass for contract error `name`, by its kind."""
    from ledger.codes import contract_error_kind

    kinds: dict[str, type[ChainRejectedError]] = {
        "invalid": ChainInvalidInputError,
        "not-found": ChainNotFoundError,
        "conflict": ChainConflictError,
        "not-allowed": ChainNotAllowedError,
    }
    return kinds[contract_error_kind(name)](name, arguments, message)
