"""The codes the contracts define, in one place: roles, reason codes, declaration, attestation and label enums.

Each enum mirrors a Solidity enum or constant set member for member (tests/ledger/test_codes.py checks them against
the contract sources and the compiled ABI). Names are the CLI's and the API's vocabulary (`Role.from_name`,
`Reason.from_name`); values are what goes on chain.
"""

from __future__ import annotations

from enum import Enum, IntEnum

from eth_hash.auto import keccak

from ledger.errors import UnknownReasonError, UnknownRoleError


def _cli_name(member: Enum) -> str:
    return member.name.lower().replace("_", "-")


class Role(Enum):
    """Consortium roles (contracts/TanjiRoles.sol); the value is the bytes32 role id."""

    ADMIN = b"\x00" * 32
    SUPPLIER = keccak(b"SUPPLIER_ROLE")
    CHAIN_LEADER = keccak(b"CHAIN_LEADER_ROLE")
    AUDITOR = keccak(b"AUDITOR_ROLE")
    CERTIFIER = keccak(b"CERTIFIER_ROLE")
    REGULATOR = keccak(b"REGULATOR_ROLE")
    ANCHORER = keccak(b"ANCHORER_ROLE")

    @property
    def cli_name(self) -> str:
        """The name used on the command line and in the API (``chain-leader``)."""
        return _cli_name(self)

    @classmethod
    def from_name(cls, name: str) -> Role:
        """The role called `name` (``supplier``, ``chain-leader``, ``CHAIN_LEADER``); UnknownRoleError otherwise."""
        key = name.strip().upper().replace("-", "_")
        if key in cls.__members__:
            return cls[key]
        raise UnknownRoleError(f"unknown role {name!r}; use one of: {', '.join(r.cli_name for r in cls)}")

    @classmethod
    def from_id(cls, identifier: bytes) -> Role | None:
        """The role with bytes32 id `identifier`, or None."""
        return next((role for role in cls if role.value == identifier), None)


class Reason(IntEnum):
    """Reason codes of revocations and label suspensions (1..MAX_REASON_CODE in the contracts)."""

    DATA_ERROR = 1
    METHODOLOGY_CHANGE = 2
    MISSTATEMENT = 3
    KEY_COMPROMISE = 4
    WITHDRAWN = 5
    REGULATORY_ORDER = 6

    @property
    def cli_name(self) -> str:
        """``data-error`` and so on."""
        return _cli_name(self)

    @property
    def text(self) -> str:
        """Plain words (``data error``)."""
        return self.name.lower().replace("_", " ")

    @classmethod
    def from_name(cls, name_or_code: str | int) -> Reason:
        """The reason called `name_or_code` (``data-error``) or numbered so (``1``); UnknownReasonError otherwise."""
        text = str(name_or_code).strip()
        if text.isdigit() and int(text) in cls._value2member_map_:
            return cls(int(text))
        key = text.upper().replace("-", "_")
        if key in cls.__members__:
            return cls[key]
        choices = ", ".join(f"{r.cli_name} ({r.value})" for r in cls)
        raise UnknownReasonError(f"unknown reason {name_or_code!r}; use one of: {choices}")


class DeclarationStatus(IntEnum):
    """ITanjiDeclarations.Status: the on-chain lifecycle of one declaration leaf."""

    UNKNOWN = 0
    ANCHORED = 1
    REVOKED = 2
    SUPERSEDED = 3


class AttestationResult(IntEnum):
    """ITanjiAttestations.Result."""

    NONE = 0
    VERIFIED = 1
    QUALIFIED = 2
    REJECTED = 3

    @property
    def cli_name(self) -> str:
        """``verified`` and so on."""
        return _cli_name(self)


class Assurance(IntEnum):
    """ITanjiAttestations.Assurance (ISO 14064-3 / ISAE 3410 vocabulary)."""

    NONE = 0
    LIMITED = 1
    REASONABLE = 2

    @property
    def cli_name(self) -> str:
        """``limited`` or ``reasonable``."""
        return _cli_name(self)


class LabelState(IntEnum):
    """ITanjiLabels.State: what the certifier last did to a label."""

    NONE = 0
    ACTIVE = 1
    SUSPENDED = 2
    REVOKED = 3


class LabelStatus(IntEnum):
    """ITanjiLabels.Status: a label's state seen at the current block time."""

    UNKNOWN = 0
    VALID = 1
    NOT_YET_VALID = 2
    EXPIRED = 3
    SUSPENDED = 4
    REVOKED = 5
    DECLARATION_REVOKED = 6
    DECLARATION_SUPERSEDED = 7
    ATTESTATION_WITHDRAWN = 8

    @property
    def text(self) -> str:
        """``valid``, ``not_yet_valid`` and so on (what `tanji label status --json` prints)."""
        return self.name.lower()


# What each contract error means for the caller: `api.errors` turns a refusal into an exit code and an HTTP status
# by this kind (tests/ledger/test_codes.py checks that every custom error in the ABI is listed here).
CONTRACT_ERROR_KINDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "TanjiIncompleteLabel",
            "TanjiInvalidAssurance",
            "TanjiInvalidAttestationResult",
            "TanjiInvalidReasonCode",
            "TanjiInvalidSignature",
            "TanjiInvalidSuccessor",
            "TanjiInvalidValidity",
            "TanjiUnknownRole",
            "TanjiZeroAddress",
            "TanjiZeroDigest",
            "TanjiZeroLeafCount",
            "TanjiZeroOrgId",
            "TanjiZeroReportHash",
            "TanjiZeroRoot",
            "TanjiZeroSerial",
            "ECDSAInvalidSignature",
            "ECDSAInvalidSignatureLength",
            "ECDSAInvalidSignatureS",
            "InvalidShortString",
            "TanjiAttestationOfAnotherDeclarant",
            "TanjiForeignAttestationRegistry",
            "StringTooLong",
        ),
        "invalid",
    ),
    **dict.fromkeys(
        (
            "TanjiUnknownLabel",
            "TanjiUnknownMember",
            "TanjiUnknownRoot",
            "TanjiLeafNotInBatch",
            "TanjiUnknownAttestation",
        ),
        "not-found",
    ),
    **dict.fromkeys(
        (
            "TanjiDeclarationFinal",
            "TanjiKeyAlreadyRegistered",
            "TanjiLabelAlreadyIssued",
            "TanjiLabelStateConflict",
            "TanjiLastActiveKey",
            "TanjiMemberAlreadyRegistered",
            "TanjiMemberNotSuspended",
            "TanjiRoleUnchanged",
            "TanjiRootAlreadyAnchored",
            "InvalidAccountNonce",
            "TanjiAttestationAlreadyWithdrawn",
            "TanjiAttestationNotPositive",
            "TanjiAttestationWithdrawn",
            "TanjiDeclarantInactiveAtAnchoring",
            "TanjiDeclarationNotCurrent",
            "TanjiKeyNotProposed",
            "TanjiTooManyActiveKeys",
        ),
        "conflict",
    ),
    **dict.fromkeys(
        (
            "TanjiMissingRole",
            "TanjiMemberSuspended",
            "TanjiNotDeclarantOrRegulator",
            "TanjiNotKeyManager",
            "TanjiNotLabelIssuer",
            "TanjiNotMember",
            "TanjiProtectedMember",
            "TanjiRoleManagedByMembership",
            "TanjiKeyNotOfMember",
            "TanjiKeyRetired",
            "AccessControlUnauthorizedAccount",
            "AccessControlBadConfirmation",
            "TanjiNotAttestorOrRegulator",
            "TanjiSelfAttestation",
            "TanjiSelfCertification",
            "TanjiSupersessionNotConsented",
            "TanjiSuccessorFromAnotherMember",
        ),
        "not-allowed",
    ),
}


def contract_error_kind(name: str) -> str:
    """``invalid``, ``not-found``, ``conflict`` or ``not-allowed`` for a contract error (unknown: not-allowed)."""
    return CONTRACT_ERROR_KINDS.get(name, "not-allowed")
