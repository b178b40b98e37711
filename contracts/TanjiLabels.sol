// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ITanjiAttestations} from "./interfaces/ITanjiAttestations.sol";
import {ITanjiDeclarations} from "./interfaces/ITanjiDeclarations.sol";
import {ITanjiLabels} from "./interfaces/ITanjiLabels.sol";
import {ITanjiMembership} from "./interfaces/ITanjiMembership.sol";
import {TanjiRoles} from "./TanjiRoles.sol";

/**
 * @title TanjiLabels
 * @dev Carbon labels: certifiers issue, suspend, reinstate and revoke; regulators may revoke. Roles and
 * declaration statuses come from the {TanjiLedger}, attestations from the {TanjiAttestations} bound to the same
 * ledger. A label is issued only on an anchored, current declaration with a standing positive attestation, and
 * {labelStatus} re-reads both, so a label falls with its declaration or attestation.
 */
contract TanjiLabels is ITanjiLabels {
    /// @dev Highest reason code (same codes as declaration revocation).
    uint8 public constant MAX_REASON_CODE = 6;
    /// @dev The membership registry (the TanjiLedger contract).
    ITanjiMembership public immutable membership;
    /// @dev The attestation registry (bound to the same ledger).
    ITanjiAttestations public immutable attestations;

    mapping(bytes32 serial => Label) private _labels;
    mapping(bytes32 digest => bytes32[]) private _serialsByDigest;

    /// @dev Binds the label registry to the ledger `membership_` and its attestation registry `attestations_`.
    constructor(ITanjiMembership membership_, ITanjiAttestations attestations_) {
        if (address(attestations_.membership()) != address(membership_)) {
            revert TanjiForeignAttestationRegistry(address(attestations_), address(membership_));
        }
        membership = membership_;
        attestations = attestations_;
    }

    /// @inheritdoc ITanjiLabels
    function issueLabel(
        bytes32 serial,
        bytes32 productIdHash,
        ITanjiDeclarations.DeclarationRef calldata declaration,
        bytes16 grade,
        uint64 validFrom,
        uint64 validUntil,
        uint256 attestationIndex,
        bytes32 termsHash
    ) external {
        bytes32 org = membership.requireActive(msg.sender, TanjiRoles.CERTIFIER);
        bytes32 digest = declaration.digest;
        if (serial == bytes32(0)) revert TanjiZeroSerial();
        if (_labels[serial].state != State.None) revert TanjiLabelAlreadyIssued(serial);
        if (productIdHash == bytes32(0) || digest == bytes32(0) || termsHash == bytes32(0)) {
            revert TanjiIncompleteLabel(serial);
        }
        if (validUntil <= validFrom) revert TanjiInvalidValidity(validFrom, validUntil);
        bytes32 leaf = _requireLabelable(declaration, org);
        _requireStandingAttestation(digest, attestationIndex, declaration.declarant);
        _labels[serial] = Label({
            productIdHash: productIdHash,
            declarationDigest: digest,
            issuerOrg: org,
            grade: grade,
            validFrom: validFrom,
            validUntil: validUntil,
            state: State.Active,
            reason: 0,
            issuedAtBlock: uint64(block.number),
            changedAtBlock: uint64(block.number),
            declarant: declaration.declarant,
            attestationIndex: uint64(attestationIndex),
            declarationLeaf: leaf,
            termsHash: termsHash
        });
        _serialsByDigest[digest].push(serial);
        emit LabelIssued(serial, org, productIdHash, digest, grade, validFrom, validUntil, termsHash);
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
    function labelCount(bytes32 declarationDigest) external view returns (uint256) {
        return _serialsByDigest[declarationDigest].length;
    }

    /// @inheritdoc ITanjiLabels
    function labelsOf(bytes32 declarationDigest, uint256 offset, uint256 count)
        external
        view
        returns (bytes32[] memory page)
    {
        bytes32[] storage serials = _serialsByDigest[declarationDigest];
        uint256 total = serials.length;
        uint256 end = offset >= total ? offset : (count > total - offset ? total : offset + count);
        page = new bytes32[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            page[i - offset] = serials[i];
        }
    }

    /// @inheritdoc ITanjiLabels
    function labelStatus(bytes32 serial) external view returns (Status) {
        Label storage label = _labels[serial];
        if (label.state == State.None) return Status.Unknown;
        if (label.state == State.Revoked) return Status.Revoked;
        bytes32[] memory leaves = new bytes32[](1);
        leaves[0] = label.declarationLeaf;
        ITanjiDeclarations.Status declared = _ledger().leafStatuses(leaves)[0].status;
        if (declared == ITanjiDeclarations.Status.Revoked) return Status.DeclarationRevoked;
        if (declared == ITanjiDeclarations.Status.Superseded) return Status.DeclarationSuperseded;
        if (attestations.attestationOf(label.declarationDigest, label.attestationIndex).withdrawnAtBlock != 0) {
            return Status.AttestationWithdrawn;
        }
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

    /// @dev Checks that `declaration` is anchored, current, anchored while its declarant was usable and not
    /// declared by the certifying organization `org`; returns its leaf.
    function _requireLabelable(ITanjiDeclarations.DeclarationRef calldata declaration, bytes32 org)
        private
        view
        returns (bytes32 leaf)
    {
        ITanjiDeclarations ledger = _ledger();
        leaf = ledger.declarationLeaf(declaration.digest, declaration.declarant);
        (ITanjiDeclarations.Batch memory batch, ITanjiDeclarations.LeafStatus memory status) =
            ledger.statusOf(declaration.root, leaf, declaration.proof);
        if (status.status != ITanjiDeclarations.Status.Anchored) {
            revert TanjiDeclarationNotCurrent(declaration.digest, status.status);
        }
        if (!membership.wasKeyUsableAt(declaration.declarant, batch.anchoredAtBlock)) {
            revert TanjiDeclarantInactiveAtAnchoring(declaration.declarant, batch.anchoredAtBlock);
        }
        if (membership.keyRecord(declaration.declarant).orgId == org) {
            revert TanjiSelfCertification(org, declaration.declarant);
        }
    }

    /// @dev Checks that attestation `index` of `digest` exists, attests `declarant`'s declaration, is positive
    /// and stands.
    function _requireStandingAttestation(bytes32 digest, uint256 index, address declarant) private view {
        ITanjiAttestations.Attestation memory attestation = attestations.attestationOf(digest, index);
        if (attestation.declarant != declarant) {
            revert TanjiAttestationOfAnotherDeclarant(digest, index, attestation.declarant, declarant);
        }
        ITanjiAttestations.Result result = attestation.result;
        if (result != ITanjiAttestations.Result.Verified && result != ITanjiAttestations.Result.Qualified) {
            revert TanjiAttestationNotPositive(digest, index, uint8(attestation.result));
        }
        if (attestation.withdrawnAtBlock != 0) {
            revert TanjiAttestationWithdrawn(digest, index, attestation.withdrawnAtBlock);
        }
    }

    function _ledger() private view returns (ITanjiDeclarations) {
        return ITanjiDeclarations(address(membership));
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

