// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {ITanjiDeclarations} from "./ITanjiDeclarations.sol";

/**
 * @dev Carbon labels (碳标识) issued by certification bodies. A label rests on one anchored, current declaration
 * and on one standing positive attestation of it; it reads as invalid as soon as either falls.
 */
interface ITanjiLabels {
    /// @dev Stored state of a label.
    enum State {
        None,
        Active,
        Suspended,
        Revoked
    }

    /// @dev Status as seen now: the label's state, its declaration's status, its attestation and its validity
    /// window, in this order of precedence: Revoked, DeclarationRevoked, DeclarationSuperseded,
    /// AttestationWithdrawn, Suspended, NotYetValid, Expired, Valid. Only Valid means the label may be relied on.
    enum Status {
        Unknown,
        Valid,
        NotYetValid,
        Expired,
        Suspended,
        Revoked,
        DeclarationRevoked,
        DeclarationSuperseded,
        AttestationWithdrawn
    }

    /// @dev One carbon label.
    struct Label {
        bytes32 productIdHash;
        bytes32 declarationDigest;
        bytes32 issuerOrg;
        bytes16 grade;
        uint64 validFrom;
        uint64 validUntil;
        State state;
        uint8 reason;
        uint64 issuedAtBlock;
        uint64 changedAtBlock;
        address declarant;
        uint64 attestationIndex;
        bytes32 declarationLeaf;
        bytes32 termsHash;
    }

    /// @dev Emitted when label `serial` is issued by `issuerOrg`; `termsHash` commits to the full label terms.
    event LabelIssued(
        bytes32 indexed serial,
        bytes32 indexed issuerOrg,
        bytes32 productIdHash,
        bytes32 declarationDigest,
        bytes16 grade,
        uint64 validFrom,
        uint64 validUntil,
        bytes32 termsHash
    );
    /// @dev Emitted when label `serial` is suspended for `reason`.
    event LabelSuspended(bytes32 indexed serial, uint8 reason, address indexed by);
    /// @dev Emitted when suspended label `serial` is reinstated.
    event LabelReinstated(bytes32 indexed serial, address indexed by);
    /// @dev Emitted when label `serial` is revoked for `reason`.
    event LabelRevoked(bytes32 indexed serial, uint8 reason, address indexed by);

    /// @dev The serial is zero.
    error TanjiZeroSerial();
    /// @dev Label `serial` already exists.
    error TanjiLabelAlreadyIssued(bytes32 serial);
    /// @dev Label `serial` does not exist.
    error TanjiUnknownLabel(bytes32 serial);
    /// @dev The product id hash, the declaration digest or the terms hash of label `serial` is zero.
    error TanjiIncompleteLabel(bytes32 serial);
    /// @dev The validity window [`validFrom`, `validUntil`) is empty.
    error TanjiInvalidValidity(uint64 validFrom, uint64 validUntil);
    /// @dev `account` is not an active certifier key of the organization that issued label `serial`.
    error TanjiNotLabelIssuer(address account, bytes32 serial);
    /// @dev Label `serial` is in state `state`, which does not allow the change.
    error TanjiLabelStateConflict(bytes32 serial, State state);
    /// @dev `reason` is not a known reason code (1..6).
    error TanjiInvalidReasonCode(uint8 reason);
    /// @dev The attestation registry `attestations` is bound to another ledger than `membership`.
    error TanjiForeignAttestationRegistry(address attestations, address membership);
    /// @dev Attestation `index` of `digest` has result `result`, not verified (1) or qualified (2).
    error TanjiAttestationNotPositive(bytes32 digest, uint256 index, uint8 result);
    /// @dev Attestation `index` of `digest` was withdrawn at block `withdrawnAtBlock`.
    error TanjiAttestationWithdrawn(bytes32 digest, uint256 index, uint64 withdrawnAtBlock);
    /// @dev Attestation `index` of `digest` attests the declaration of `attestedDeclarant`, not of `declarant`.
    error TanjiAttestationOfAnotherDeclarant(
        bytes32 digest, uint256 index, address attestedDeclarant, address declarant
    );
    /// @dev The declarant `declarant` is a key of `orgId`, the certification body that would label its own product.
    error TanjiSelfCertification(bytes32 orgId, address declarant);
    /// @dev Declaration `digest` is `status` (revoked or superseded) and can no longer be attested or labelled.
    error TanjiDeclarationNotCurrent(bytes32 digest, ITanjiDeclarations.Status status);
    /// @dev `declarant` was not an active key of an unsuspended organization when its declaration was anchored
    /// at block `anchoredAtBlock`.
    error TanjiDeclarantInactiveAtAnchoring(address declarant, uint64 anchoredAtBlock);

    /**
     * @dev Issues label `serial` for the product `productIdHash` backed by the anchored declaration
     * `declaration` and its attestation number `attestationIndex`. The certification body vouches that
     * `productIdHash` is the product of that declaration (leaves bind digest and declarant only). `termsHash` is
     * the keccak-256 of the label's terms as RFC 8785 canonical JSON (kind, certified value and unit, scheme,
     * serial, filing number, validity, grade and score with the benchmark they come from): the terms are kept off
     * chain and a verifier recomputes this hash to prove they are the ones certified.
     *
     * Requirements: caller an active certifier key; serial new and non-zero; hashes (terms hash included)
     * non-zero; `validUntil` after `validFrom`; `declaration` inside its anchored root ({TanjiUnknownRoot},
     * {TanjiLeafNotInBatch}), neither revoked nor superseded ({TanjiDeclarationNotCurrent}), anchored while its
     * declarant was usable ({TanjiDeclarantInactiveAtAnchoring}) and not declared by the caller's organization;
     * the attestation exists, attests that declarant, is verified or qualified and not withdrawn.
     *
     * Emits a {LabelIssued} event.
     */
    function issueLabel(
        bytes32 serial,
        bytes32 productIdHash,
        ITanjiDeclarations.DeclarationRef calldata declaration,
        bytes16 grade,
        uint64 validFrom,
        uint64 validUntil,
        uint256 attestationIndex,
        bytes32 termsHash
    ) external;

    /**
     * @dev Suspends active label `serial` for `reason`.
     *
     * Requirements: caller an active certifier key of the issuing organization; label active; `reason` 1..6.
     *
     * Emits a {LabelSuspended} event.
     */
    function suspendLabel(bytes32 serial, uint8 reason) external;

    /**
     * @dev Reinstates suspended label `serial`.
     *
     * Requirements: caller an active certifier key of the issuing organization; label suspended.
     *
     * Emits a {LabelReinstated} event.
     */
    function reinstateLabel(bytes32 serial) external;

    /**
     * @dev Revokes label `serial` for `reason` (final).
     *
     * Requirements: caller an active certifier key of the issuing organization or a regulator; label active
     * or suspended; `reason` 1..6.
     *
     * Emits a {LabelRevoked} event.
     */
    function revokeLabel(bytes32 serial, uint8 reason) external;

    /// @dev Returns label `serial` (zero label when unknown).
    function labelOf(bytes32 serial) external view returns (Label memory);

    /// @dev Returns how many labels were issued on declaration `declarationDigest`.
    function labelCount(bytes32 declarationDigest) external view returns (uint256);

    /// @dev Returns up to `count` serials of labels issued on `declarationDigest` from position `offset`, oldest
    /// first.
    function labelsOf(bytes32 declarationDigest, uint256 offset, uint256 count)
        external
        view
        returns (bytes32[] memory);

    /// @dev Returns the status of label `serial` now (see {Status} for the order of precedence).
    function labelStatus(bytes32 serial) external view returns (Status);
}
