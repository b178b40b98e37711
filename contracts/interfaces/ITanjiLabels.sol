// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @dev Carbon labels (碳标识) issued by certification bodies.
 */
interface ITanjiLabels {
    /// @dev Stored state of a label.
    enum State {
        None,
        Active,
        Suspended,
        Revoked
    }

    /// @dev Status as seen at the current block time (state plus validity window).
    enum Status {
        Unknown,
        Valid,
        NotYetValid,
        Expired,
        Suspended,
        Revoked
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
    }

    /// @dev Emitted when label `serial` is issued by `issuerOrg`.
    event LabelIssued(
        bytes32 indexed serial,
        bytes32 indexed issuerOrg,
        bytes32 productIdHash,
        bytes32 declarationDigest,
        bytes16 grade,
        uint64 validFrom,
        uint64 validUntil
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
    /// @dev The product id hash or the declaration digest of label `serial` is zero.
    error TanjiIncompleteLabel(bytes32 serial);
    /// @dev The validity window [`validFrom`, `validUntil`) is empty.
    error TanjiInvalidValidity(uint64 validFrom, uint64 validUntil);
    /// @dev `account` is not an active certifier key of the organization that issued label `serial`.
    error TanjiNotLabelIssuer(address account, bytes32 serial);
    /// @dev Label `serial` is in state `state`, which does not allow the change.
    error TanjiLabelStateConflict(bytes32 serial, State state);
    /// @dev `reason` is not a known reason code (1..6).
    error TanjiInvalidReasonCode(uint8 reason);

    /**
     * @dev Issues label `serial` for the product `productIdHash` backed by declaration `declarationDigest`.
     *
     * Requirements: caller an active certifier key; serial new and non-zero; hashes non-zero; `validUntil` after
     * `validFrom`.
     *
     * Emits a {LabelIssued} event.
     */
    function issueLabel(
        bytes32 serial,
        bytes32 productIdHash,
        bytes32 declarationDigest,
        bytes16 grade,
        uint64 validFrom,
        uint64 validUntil
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

    /// @dev Returns the serials of every label issued on declaration `declarationDigest`, oldest first.
    function labelsOf(bytes32 declarationDigest) external view returns (bytes32[] memory);

    /// @dev Returns the status of label `serial` at the current block time.
    function labelStatus(bytes32 serial) external view returns (Status);
}
