// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ITanjiLabels} from "./interfaces/ITanjiLabels.sol";
import {ITanjiMembership} from "./interfaces/ITanjiMembership.sol";
import {TanjiRoles} from "./TanjiRoles.sol";

/**
 * @title TanjiLabels
 * @dev Carbon labels: certifiers issue, suspend, reinstate and revoke; regulators may revoke. Roles come from
 * the {TanjiLedger} membership registry.
 */
contract TanjiLabels is ITanjiLabels {
    /// @dev Highest reason code (same codes as declaration revocation).
    uint8 public constant MAX_REASON_CODE = 6;
    /// @dev The membership registry (the TanjiLedger contract).
    ITanjiMembership public immutable membership;

    mapping(bytes32 serial => Label) private _labels;
    mapping(bytes32 digest => bytes32[]) private _serialsByDigest;

    /// @dev Binds the label registry to `membership_`.
    constructor(ITanjiMembership membership_) {
        membership = membership_;
    }

    /// @inheritdoc ITanjiLabels
    function issueLabel(
        bytes32 serial,
        bytes32 productIdHash,
        bytes32 declarationDigest,
        bytes16 grade,
        uint64 validFrom,
        uint64 validUntil
    ) external {
        bytes32 org = membership.requireActive(msg.sender, TanjiRoles.CERTIFIER);
        if (serial == bytes32(0)) revert TanjiZeroSerial();
        if (_labels[serial].state != State.None) revert TanjiLabelAlreadyIssued(serial);
        if (productIdHash == bytes32(0) || declarationDigest == bytes32(0)) revert TanjiIncompleteLabel(serial);
        if (validUntil <= validFrom) revert TanjiInvalidValidity(validFrom, validUntil);
        _labels[serial] = Label({
            productIdHash: productIdHash,
            declarationDigest: declarationDigest,
            issuerOrg: org,
            grade: grade,
            validFrom: validFrom,
            validUntil: validUntil,
            state: State.Active,
            reason: 0,
            issuedAtBlock: uint64(block.number),
            changedAtBlock: uint64(block.number)
        });
        _serialsByDigest[declarationDigest].push(serial);
        emit LabelIssued(serial, org, productIdHash, declarationDigest, grade, validFrom, validUntil);
    }

    /// @inheritdoc ITanjiLabels
    function suspendLabel(bytes32 serial, uint8 reason) external {
        Label storage label = _requireIssuer(serial);
        _requireReason(reason);
        if (label.state != State.Active) revert TanjiLabelStateConflict(serial, label.state);
        _change(label, State.Suspended, reason);
        emit LabelSuspended(serial, reason, msg.sender);
    }

    /// @inheritdoc ITanjiLabels
    function reinstateLabel(bytes32 serial) external {
        Label storage label = _requireIssuer(serial);
        if (label.state != State.Suspended) revert TanjiLabelStateConflict(serial, label.state);
        _change(label, State.Active, 0);
        emit LabelReinstated(serial, msg.sender);
    }

    /// @inheritdoc ITanjiLabels
    function revokeLabel(bytes32 serial, uint8 reason) external {
        Label storage label = _requireLabel(serial);
        if (!_isActiveRegulator(msg.sender)) _requireIssuer(serial);
        _requireReason(reason);
        if (label.state == State.Revoked) revert TanjiLabelStateConflict(serial, label.state);
        _change(label, State.Revoked, reason);
        emit LabelRevoked(serial, reason, msg.sender);
    }

    /// @inheritdoc ITanjiLabels
    function labelOf(bytes32 serial) external view returns (Label memory) {
        return _labels[serial];
    }

    /// @inheritdoc ITanjiLabels
    function labelsOf(bytes32 declarationDigest) external view returns (bytes32[] memory) {
        return _serialsByDigest[declarationDigest];
    }

    /// @inheritdoc ITanjiLabels
    function labelStatus(bytes32 serial) external view returns (Status) {
        Label storage label = _labels[serial];
        if (label.state == State.None) return Status.Unknown;
        if (label.state == State.Revoked) return Status.Revoked;
        if (label.state == State.Suspended) return Status.Suspended;
        if (block.timestamp < label.validFrom) return Status.NotYetValid;
        if (block.timestamp >= label.validUntil) return Status.Expired;
        return Status.Valid;
    }

    function _change(Label storage label, State state, uint8 reason) private {
        label.state = state;
        label.reason = reason;
        label.changedAtBlock = uint64(block.number);
    }

    function _requireLabel(bytes32 serial) private view returns (Label storage label) {
        label = _labels[serial];
        if (label.state == State.None) revert TanjiUnknownLabel(serial);
    }

    function _requireIssuer(bytes32 serial) private view returns (Label storage label) {
        label = _requireLabel(serial);
        bytes32 org = membership.requireActive(msg.sender, TanjiRoles.CERTIFIER);
        if (org != label.issuerOrg) revert TanjiNotLabelIssuer(msg.sender, serial);
    }

    function _requireReason(uint8 reason) private pure {
        if (reason == 0 || reason > MAX_REASON_CODE) revert TanjiInvalidReasonCode(reason);
    }

    function _isActiveRegulator(address account) private view returns (bool) {
        return IAccessControl(address(membership)).hasRole(TanjiRoles.REGULATOR, account);
    }
}

