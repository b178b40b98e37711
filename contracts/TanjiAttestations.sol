// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {ITanjiAttestations} from "./interfaces/ITanjiAttestations.sol";
import {ITanjiMembership} from "./interfaces/ITanjiMembership.sol";
import {TanjiRoles} from "./TanjiRoles.sol";

/**
 * @title TanjiAttestations
 * @dev Auditor attestations over declaration digests; roles come from the {TanjiLedger} membership registry.
 */
contract TanjiAttestations is ITanjiAttestations {
    /// @dev The membership registry (the TanjiLedger contract).
    ITanjiMembership public immutable membership;

    mapping(bytes32 digest => Attestation[]) private _attestations;

    /// @dev Binds the attestation registry to `membership_`.
    constructor(ITanjiMembership membership_) {
        membership = membership_;
    }

    /// @inheritdoc ITanjiAttestations
    function attest(bytes32 digest, uint8 result, uint8 assurance, bytes32 reportHash) external {
        bytes32 org = membership.requireActive(msg.sender, TanjiRoles.AUDITOR);
        if (digest == bytes32(0)) revert TanjiZeroDigest();
        if (result == 0 || result > uint8(Result.Rejected)) revert TanjiInvalidAttestationResult(result);
        if (assurance == 0 || assurance > uint8(Assurance.Reasonable)) revert TanjiInvalidAssurance(assurance);
        if (reportHash == bytes32(0)) revert TanjiZeroReportHash(digest);
        _attestations[digest].push(
            Attestation({
                auditorOrg: org,
                auditor: msg.sender,
                result: Result(result),
                assurance: Assurance(assurance),
                attestedAtBlock: uint64(block.number),
                reportHash: reportHash
            })
        );
        emit DeclarationAttested(digest, org, msg.sender, Result(result), Assurance(assurance), reportHash);
    }

    /// @inheritdoc ITanjiAttestations
    function attestationsOf(bytes32 digest) external view returns (Attestation[] memory) {
        return _attestations[digest];
    }
}
