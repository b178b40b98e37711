// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {ITanjiAttestations} from "./interfaces/ITanjiAttestations.sol";
import {ITanjiDeclarations} from "./interfaces/ITanjiDeclarations.sol";
import {ITanjiMembership} from "./interfaces/ITanjiMembership.sol";
import {TanjiRoles} from "./TanjiRoles.sol";

/**
 * @title TanjiAttestations
 * @dev Auditor attestations over anchored declarations; roles, keys and declaration statuses come from the
 * {TanjiLedger}.
 */
contract TanjiAttestations is ITanjiAttestations {
    /// @dev Highest reason code (same codes as declaration revocation).
    uint8 public constant MAX_REASON_CODE = 6;
    /// @dev The membership registry and declaration ledger (the TanjiLedger contract).
    ITanjiMembership public immutable membership;

    mapping(bytes32 digest => Attestation[]) private _attestations;

    /// @dev Binds the attestation registry to the ledger `membership_`.
    constructor(ITanjiMembership membership_) {
        membership = membership_;
    }

    /// @inheritdoc ITanjiAttestations
    function attest(
        ITanjiDeclarations.DeclarationRef calldata declaration,
        uint8 result,
        uint8 assurance,
        bytes32 reportHash
    ) external {
        bytes32 org = membership.requireActive(msg.sender, TanjiRoles.AUDITOR);
        bytes32 digest = declaration.digest;
        if (digest == bytes32(0)) revert TanjiZeroDigest();
        if (result == 0 || result > uint8(Result.Rejected)) revert TanjiInvalidAttestationResult(result);
        if (assurance == 0 || assurance > uint8(Assurance.Reasonable)) revert TanjiInvalidAssurance(assurance);
        if (reportHash == bytes32(0)) revert TanjiZeroReportHash(digest);
        _requireAttestable(declaration, org);
        Attestation[] storage list = _attestations[digest];
        list.push(
            Attestation({
                auditorOrg: org,
                auditor: msg.sender,
                result: Result(result),
                assurance: Assurance(assurance),
                attestedAtBlock: uint64(block.number),
                reportHash: reportHash,
                declarant: declaration.declarant,
                withdrawnAtBlock: 0,
                withdrawReason: 0
            })
        );
        emit DeclarationAttested(
            digest,
            org,
            msg.sender,
            list.length - 1,
            declaration.declarant,
            Result(result),
            Assurance(assurance),
            reportHash
        );
    }

    /// @inheritdoc ITanjiAttestations
    function withdrawAttestation(bytes32 digest, uint256 index, uint8 reason) external {
        Attestation storage attestation = _requireAttestation(digest, index);
        if (!IAccessControl(address(membership)).hasRole(TanjiRoles.REGULATOR, msg.sender)) {
            if (membership.keyRecord(msg.sender).orgId != attestation.auditorOrg) {
                revert TanjiNotAttestorOrRegulator(msg.sender, digest, index);
            }
            membership.requireActive(msg.sender, TanjiRoles.AUDITOR);
        }
        if (reason == 0 || reason > MAX_REASON_CODE) revert TanjiInvalidReasonCode(reason);
        uint64 withdrawnAt = attestation.withdrawnAtBlock;
        if (withdrawnAt != 0) revert TanjiAttestationAlreadyWithdrawn(digest, index, withdrawnAt);
        attestation.withdrawnAtBlock = uint64(block.number);
        attestation.withdrawReason = reason;
        emit AttestationWithdrawn(digest, index, attestation.auditorOrg, reason, msg.sender);
    }

    /// @inheritdoc ITanjiAttestations
    function attestationCount(bytes32 digest) external view returns (uint256) {
        return _attestations[digest].length;
    }

    /// @inheritdoc ITanjiAttestations
    function attestationOf(bytes32 digest, uint256 index) external view returns (Attestation memory) {
        return _requireAttestation(digest, index);
    }

    /// @inheritdoc ITanjiAttestations
    function attestationsOf(bytes32 digest, uint256 offset, uint256 count)
        external
        view
        returns (Attestation[] memory page)
    {
        Attestation[] storage list = _attestations[digest];
        uint256 total = list.length;
        uint256 end = offset >= total ? offset : (count > total - offset ? total : offset + count);
        page = new Attestation[](end - offset);
        for (uint256 i = offset; i < end; ++i) {
            page[i - offset] = list[i];
        }
    }

    /// @dev Checks that `declaration` is anchored, current, anchored while its declarant was usable, and not
    /// declared by the attesting organization `org`.
    function _requireAttestable(ITanjiDeclarations.DeclarationRef calldata declaration, bytes32 org) private view {
        ITanjiDeclarations ledger = ITanjiDeclarations(address(membership));
        bytes32 leaf = ledger.declarationLeaf(declaration.digest, declaration.declarant);
        (ITanjiDeclarations.Batch memory batch, ITanjiDeclarations.LeafStatus memory status) =
            ledger.statusOf(declaration.root, leaf, declaration.proof);
        if (status.status != ITanjiDeclarations.Status.Anchored) {
            revert TanjiDeclarationNotCurrent(declaration.digest, status.status);
        }
        if (!membership.wasKeyUsableAt(declaration.declarant, batch.anchoredAtBlock)) {
            revert TanjiDeclarantInactiveAtAnchoring(declaration.declarant, batch.anchoredAtBlock);
        }
        if (membership.keyRecord(declaration.declarant).orgId == org) {
            revert TanjiSelfAttestation(org, declaration.declarant);
        }
    }

    function _requireAttestation(bytes32 digest, uint256 index) private view returns (Attestation storage) {
        Attestation[] storage list = _attestations[digest];
        if (index >= list.length) revert TanjiUnknownAttestation(digest, index);
        return list[index];
    }
}
