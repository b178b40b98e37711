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
│   ├── MalformedJsonError             a JSON document is not valid JSON
│   │   ├── JsonTooDeepError           its nesting is deeper than the limit (checked before parsing)
│   │   └── DuplicateJsonKeyError      an object names one key twice (readers disagree on which wins)
│   ├── MerkleError                    a Merkle batch, leaf or proof is malformed
│   ├── SigningError                   typed data cannot be built, signed or recovered
│   │   └── SignatureMismatchError     a signature does not recover to the stated signer
│   ├── WrongSigningDomainError        signed for another chain or contract than this ledger's
│   ├── UnknownRoleError               a role name is not one of the consortium roles
│   ├── UnknownReasonError             a revocation or suspension reason is not one of the codes
│   ├── InvalidLabelError              label fields (serial, grade, validity) are malformed
│   │   ├── InvalidLabelTermsError     label terms (kind, scheme, filing number, value) are malformed
│   │   ├── CertifiedValueMismatchError  a footprint label's value is not its declaration's footprint
│   │   ├── TermsHashMismatchError     terms offered for a label do not hash to the terms hash on chain
│   │   └── GradeMismatchError         a requested grade or score is not the one the benchmark gives
│   ├── CategoryBenchmarkError         a category benchmark is malformed: `row` names where
│   │   ├── OverlappingThresholdsError two threshold bands of a benchmark overlap
│   │   ├── GappedThresholdsError      a value range between two bands is in no band
│   │   └── ValueOutsideBenchmarkError a certified value is below or above every band
│   ├── UnknownCategoryError           a category code is neither in the catalogue nor a statistical code
│   ├── FactorFileError                a factor file is malformed: `row` and `column` name where
│   ├── GasBasisError                  a CO2-only factor offered where CO2e is expected, not accepted
│   ├── InvalidLegalIdentifierError    a USCC or LEI is malformed or its check characters do not match
│   ├── TransactionDecodeError         a raw transaction is not a well-formed, signed transaction
│   ├── TransactionRefusedByNodeError  the node refused a member's transaction (gas, fees, funds)
│   ├── SubmissionRejectedError        a submitted envelope was refused (schema, signature, reuse ...)
│   ├── InvalidOrganizationError       an organization handle is empty or malformed
│   ├── InvalidWalletError             a wallet name is malformed or its password too weak
│   ├── InvalidTrustAnchorsError       a trust anchors file (chain id + contract addresses) is malformed
│   ├── ChainInvalidInputError         the chain refused malformed arguments (zero values, bad codes)
│   ├── InvalidFilterError             a PACT filter value of the wrong type (a date that is not a date)
│   ├── UnsupportedFilterError         a PACT v2 $filter outside the OData subset
│   ├── PaginationLinkError            a PACT pagination link unknown, expired or of another organization
│   ├── MalformedEventError            a PACT CloudEvent malformed, of an unknown type, or not answerable
│   ├── InvalidPeerError               a recipient endpoint Tanji will not call (not https, query, credentials)
│   ├── InvalidClaimError              a green-finance claim document is malformed (field named)
│   ├── InvalidFootprintRequestError   a footprint request's products, deadline, receiver or reason are malformed
│   ├── AttestationReportError         an attestation report is malformed (standard, findings, scope)
│   └── SupplyChainError               the supply chain cannot be rolled up as declared
│       ├── InvalidQuantityError       a quantity is negative, not a number, or given twice
│       ├── UnitConversionError        a quantity's unit cannot be converted to the declared unit
│       ├── SelfConsumptionError       a product consumes a unit or more of itself per unit made
│       └── DivergentLoopError         the re-consumption around a loop does not converge
├── NotFoundError                      what the request names does not exist here (HTTP 404)
│   ├── DeclarationNotFoundError       no declaration with that id or digest
│   │   └── FootprintNotFoundError     no anchored PACT footprint with that id
│   ├── UnknownRequestError            no PACT footprint request with that number awaits the organization
│   ├── FootprintRequestNotFoundError  no footprint request (by tier) with that id
│   ├── UnknownProductError            no current declaration or factor covers a product
│   ├── ClaimSubjectNotFoundError      a claim names a product or organization with no declaration here
│   ├── AssignmentNotFoundError        no such audit assignment of an auditor to a declaration
│   ├── FactorDatasetNotFoundError     no stored dataset (or factor) of that name, version or id
│   ├── BenchmarkNotFoundError         no stored category benchmark of that category and version
│   ├── LabelNotFoundError             no label with that serial was issued on this ledger's chain
│   ├── WalletNotFoundError            no local wallet of that name
│   ├── LedgerDatabaseMissingError     the ledger database's directory does not exist (no workspace there)
│   └── ChainNotFoundError             the chain knows no such root, leaf, member or label
├── ConflictError                      the request conflicts with the current state (HTTP 409)
│   ├── DeclarationNotAnchoredError    the declaration is not anchored yet
│   ├── DuplicateDeclarationIdError    the id is already declared with another digest
│   ├── NonceReusedError               the declarant already used this nonce
│   ├── AlreadySupersededError         the predecessor is already superseded by another declaration
│   ├── UnattestedDeclarationError     no positive, standing attestation (a label needs one)
│   ├── FactorDatasetConflictError     the dataset name and version are stored with other content
│   ├── BenchmarkConflictError         the benchmark category and version are stored with other content
│   ├── IdentifierTakenError           a legal identifier is recorded for another organization
│   ├── OrganizationExistsError        an organization handle is registered already
│   ├── WrongNonceError                a relayed transaction does not carry its sender's next nonce
│   ├── WalletExistsError              a wallet of that name exists already
│   ├── DuplicateFootprintRequestError an open request for that product from that supplier exists already
│   ├── RequestAlreadyAnsweredError    the footprint request was fulfilled or rejected already
│   ├── FulfilmentNotCurrentError      a fulfilment names a declaration not anchored, revoked, superseded, expired
│   └── ChainConflictError             the chain refused because of its current state (final, duplicate, ...)
├── NotAllowedError                    the caller has no right to do this (HTTP 403)
│   ├── AccessDeniedError              the organization may not read the declaration
│   ├── NotDeclarantError              only the declaring organization may do this
│   ├── NotRequestRecipientError       only the organization a footprint request was sent to may answer it
│   ├── NotChainLeaderError            only an organization with the chain-leader role may request from tier 1
│   ├── ProductOwnedElsewhereError     the product id belongs to another organization
│   ├── NotAMemberError                the signing key is not an active member key with the needed role
│   ├── WrongPasswordError             a wallet cannot be decrypted with the password given
│   ├── TransactionNotRelayableError   a transaction to a contract or function the server does not relay
│   ├── SenderNotOfOrganizationError   a relayed transaction signed by a key not of the caller's organization
│   ├── NotAnAuditorError              the organization does not hold the auditor role (assignment, attestation)
│   ├── SelfAuditError                 an organization would audit or attest its own declaration
│   ├── NotAssignedError               the auditor is not assigned to audit the declaration
│   ├── ChainNotAllowedError           the chain refused the caller (missing role, not the issuer, ...)
│   └── AuthenticationError            credentials, bearer token or sign-in message not accepted (HTTP 401)
│       ├── InvalidClientError         unknown API client, wrong or revoked secret (OAuth2 invalid_client)
│       ├── InvalidTokenError          the bearer token is missing, malformed, unknown or revoked
│       ├── TokenExpiredError          the bearer token has expired (PACT TokenExpired)
│       └── SignInRejectedError        a Sign-In with Ethereum message or signature is not accepted
├── ChainRejectedError                 the chain refused: `name` and `arguments` of the contract error; every
│                                      refusal is raised as the Chain*Error of its kind above
├── ConfidentialityError               a data key is missing or a ciphertext does not authenticate (HTTP 500)
├── LedgerDatabaseError                the ledger database cannot be opened: missing directory, corrupt file (HTTP 500)
├── DeliveryError                      an outbound PACT call failed (token refused, endpoint down); retried
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


class MalformedJsonError(InvalidInputError):
    """A JSON document is not valid JSON (see `ledger.safe_json`)."""


class JsonTooDeepError(MalformedJsonError):
    """A JSON document nests arrays and objects deeper than the limit; refused before parsing."""


class DuplicateJsonKeyError(MalformedJsonError):
    """A JSON object names the same key twice: one reader would see the first value, another the last."""


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


class InvalidLabelTermsError(InvalidLabelError):
    """A label's terms are malformed: unknown kind or scheme, a filing number of the wrong shape, a bad value."""


class CertifiedValueMismatchError(InvalidLabelError):
    """A carbon footprint label certifies another value than its declaration's footprint per declared unit."""


class TermsHashMismatchError(InvalidLabelError):
    """Terms offered for a label do not hash to the ``termsHash`` the chain recorded when it was issued."""


class GradeMismatchError(InvalidLabelError):
    """The requested grade or score is not the one the category benchmark gives for the certified value."""


class CategoryBenchmarkError(InvalidInputError):
    """A category benchmark (thresholds -> grade/score) is malformed; `row` is the 1-based row, 0 for the file."""

    def __init__(self, message: str, *, row: int = 0) -> None:
        super().__init__(message)
        self.row = row


class OverlappingThresholdsError(CategoryBenchmarkError):
    """Two threshold bands of a benchmark overlap: a value would get two grades."""


class GappedThresholdsError(CategoryBenchmarkError):
    """A range of values between two threshold bands is in no band: a value there would get no grade."""


class ValueOutsideBenchmarkError(CategoryBenchmarkError):
    """The certified value is below the lowest or at or above the highest band of the benchmark."""


class UnknownCategoryError(InvalidInputError, KeyError):
    """A category code is neither a certification catalogue id nor a statistical product classification code."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InvalidWalletError(InvalidInputError):
    """A wallet name is malformed or its password too weak, or no password can be asked for."""


class FactorFileError(InvalidInputError):
    """A factor file is malformed; `row` (CSV line or JSON factor index) and `column` say where."""

    def __init__(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        super().__init__(message)
        self.row = row
        self.column = column


class GasBasisError(InvalidInputError):
    """A factor in CO2 only (not CO2e) was offered where CO2e is expected and was not explicitly accepted."""


class InvalidTrustAnchorsError(InvalidInputError):
    """A trust anchors file (the consortium's chain id and contract addresses) is missing fields or malformed."""


class InvalidLegalIdentifierError(InvalidInputError):
    """A legal identifier is malformed or its check characters do not match."""


class TransactionDecodeError(InvalidInputError):
    """A raw transaction is not a well-formed, signed EIP-155 / EIP-2930 / EIP-1559 transaction."""


class TransactionRefusedByNodeError(InvalidInputError):
    """The chain refused a member's transaction before running it: gas above the block limit, fees below the base
    fee, or no funds for gas; the signer fixes and signs again."""


class SubmissionRejectedError(InvalidInputError):
    """A submitted envelope was refused (schema, signature, signing domain, id or nonce reuse ...)."""


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


class ClaimSubjectNotFoundError(NotFoundError):
    """A claim names a product or an organization of which this ledger holds no declaration."""


class FactorDatasetNotFoundError(NotFoundError):
    """No stored factor dataset (or factor) matches the name, version or id asked for."""


class BenchmarkNotFoundError(NotFoundError):
    """No stored category benchmark matches the category and version asked for."""


class LabelNotFoundError(NotFoundError):
    """No label with that serial was issued on this ledger's chain."""


class WalletNotFoundError(NotFoundError):
    """No local wallet of that name."""


class LedgerDatabaseMissingError(NotFoundError):
    """The directory of the ledger database does not exist: no workspace where --home or TANJI_HOME points."""


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


class BenchmarkConflictError(ConflictError):
    """A benchmark of this category and version is stored already with different content (another hash)."""


class FactorDatasetConflictError(ConflictError):
    """A dataset of this name and version is stored already with different content (another hash)."""


class IdentifierTakenError(ConflictError):
    """A legal identifier is already recorded for another organization."""


class OrganizationExistsError(ConflictError):
    """An organization handle is already registered on chain."""


class WrongNonceError(ConflictError):
    """A relayed transaction does not carry its sender's next nonce."""


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


class TransactionNotRelayableError(NotAllowedError):
    """A transaction goes to a contract or function the server does not relay, or for another chain."""


class SenderNotOfOrganizationError(NotAllowedError):
    """A relayed transaction is signed by a key that is not an active key of the caller's organization."""


class NotAnAuditorError(NotAllowedError):
    """The organization named as auditor (assigned, or attesting) does not hold the auditor role on chain."""


class SelfAuditError(NotAllowedError):
    """An organization would audit or attest a declaration of its own: verification must be third-party."""


class NotAssignedError(NotAllowedError):
    """The auditor organization is not assigned to audit the declaration it asks for."""


class ChainNotAllowedError(ChainRejectedError, NotAllowedError):
    """The chain refused the caller (missing role, not the declarant, not the issuer, suspended, ...)."""


class AuthenticationError(NotAllowedError):
    """The caller's credentials, bearer token or sign-in message are not accepted (who is calling is not known)."""


class InvalidClientError(AuthenticationError):
    """An API client is unknown, revoked, or its secret does not match (OAuth2 ``invalid_client``)."""


class InvalidTokenError(AuthenticationError):
    """A bearer token is missing, malformed, unknown or revoked."""


class TokenExpiredError(AuthenticationError):
    """A bearer token has expired; the client obtains a new one."""


class SignInRejectedError(AuthenticationError):
    """A Sign-In with Ethereum message or its signature is not accepted (domain, chain, nonce, times, signer)."""


# --- the store and the chain ---------------------------------------------------------------------------------------


class ConfidentialityError(LedgerError):
    """A data key is missing or a stored ciphertext does not authenticate."""


class LedgerDatabaseError(LedgerError):
    """The ledger database cannot be opened: its directory is missing or its file is not (or no longer) a database."""


class ChainUnavailableError(LedgerError, ConnectionError):
    """The chain cannot be reached; the operation can be retried later."""


# --- PACT host system (ledger.pact, ledger.service.pact_*) ---------------------------------------------------------


class InvalidFilterError(InvalidInputError):
    """A PACT filter value is not of the type the criterion takes (a date that is not an RFC 3339 date-time)."""


class UnsupportedFilterError(InvalidInputError):
    """A PACT v2 ``$filter`` expression outside the OData subset PACT defines."""


class PaginationLinkError(InvalidInputError):
    """A pagination link is unknown, expired, or belongs to another organization."""


class MalformedEventError(InvalidInputError):
    """An event is not a well-formed PACT CloudEvent of a known type, or cannot be answered (answered 400)."""


class InvalidPeerError(InvalidInputError):
    """A recipient endpoint URL that Tanji will not call (not https, or carrying a query or credentials)."""


class InvalidClaimError(InvalidInputError):
    """A green-finance claim document is malformed: an unknown metric or comparison, a threshold that is not a
    decimal, a bad date; the message names the field and the value."""


class FootprintNotFoundError(DeclarationNotFoundError):
    """No anchored footprint has that id."""


class AssignmentNotFoundError(NotFoundError):
    """No audit assignment of that auditor organization to that declaration."""


class AttestationReportError(InvalidInputError):
    """An attestation report is malformed: unknown standard, empty finding, missing scope."""


class UnknownRequestError(NotFoundError):
    """No footprint request with that number awaits this organization."""


class InvalidFootprintRequestError(InvalidInputError):
    """A footprint request names no product or a malformed one, a deadline in the past, itself as the receiver,
    or an answer with an unknown reason code."""


class FootprintRequestNotFoundError(NotFoundError):
    """No footprint request (by tier) has that id."""


class DuplicateFootprintRequestError(ConflictError):
    """The requester has an open request to the same supplier for the same product already."""


class RequestAlreadyAnsweredError(ConflictError):
    """The footprint request was fulfilled or rejected already; it cannot be answered or forwarded again."""


class FulfilmentNotCurrentError(ConflictError):
    """A fulfilment names a declaration that is not a current, anchored declaration of the requested product
    (not anchored yet, revoked or superseded on chain, expired, or of another product)."""


class NotRequestRecipientError(NotAllowedError):
    """Only the organization a footprint request was sent to may forward, fulfil or reject it."""


class NotChainLeaderError(NotAllowedError):
    """Requests to tier-1 suppliers are made by organizations holding the chain-leader role."""


class DeliveryError(LedgerError):
    """An outbound PACT call failed (token refused, endpoint down, non-2xx answer); the event is retried."""


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
