// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {ITanjiDeclarations} from "./ITanjiDeclarations.sol";
import {ITanjiMembership} from "./ITanjiMembership.sol";

/**
 * @dev Auditor attestations over anchored declarations. An auditor attests only a current (anchored, neither
 * revoked nor superseded) declaration of another organization; the attesting organization or a regulator may
 * withdraw an attestation later, with a reason code.
 */
interface ITanjiAttestations {
    /// @dev Outcome of a verification.
    enum Result {
        None,
        Verified,
        Qualified,
        Rejected
    }

    /// @dev Level of assurance of a verification (ISO 14064-3 / ISAE 3410 vocabulary).
    enum Assurance {
        None,
        Limited,
        Reasonable
    }

    /// @dev One attestation. `withdrawnAtBlock == 0` while it stands.
    struct Attestation {
        bytes32 auditorOrg;
        address auditor;
        Result result;
        Assurance assurance;
        uint64 attestedAtBlock;
        bytes32 reportHash;
        address declarant;
        uint64 withdrawnAtBlock;
        uint8 withdrawReason;
    }

    /// @dev Emitted when `auditor` of `auditorOrg` attests declaration `digest` of `declarant`; the
    /// attestation is number `index` of `digest`.
    event DeclarationAttested(
        bytes32 indexed digest,
        bytes32 indexed auditorOrg,
        address auditor,
        uint256 index,
        address declarant,
        Result result,
        Assurance assurance,
        bytes32 reportHash
    );
    /// @dev Emitted when attestation `index` of `digest` (by `auditorOrg`) is withdrawn for `reason` by `by`.
    event AttestationWithdrawn(
        bytes32 indexed digest, uint256 index, bytes32 indexed auditorOrg, uint8 reason, address indexed by
    );

    /// @dev The declaration digest is zero.
    error TanjiZeroDigest();
    /// @dev `result` is not 1 (verified), 2 (qualified) or 3 (rejected).
    error TanjiInvalidAttestationResult(uint8 result);
    /// @dev `assurance` is not 1 (limited) or 2 (reasonable).
    error TanjiInvalidAssurance(uint8 assurance);
    /// @dev The verification report hash for `digest` is zero.
    error TanjiZeroReportHash(bytes32 digest);
    /// @dev Declaration `digest` is `status` (revoked or superseded) and can no longer be attested or labelled.
    error TanjiDeclarationNotCurrent(bytes32 digest, ITanjiDeclarations.Status status);
    /// @dev The declarant `declarant` is a key of `orgId`, the organization that would attest its own declaration.
    error TanjiSelfAttestation(bytes32 orgId, address declarant);
    /// @dev `declarant` was not an active key of an unsuspended organization when its declaration was anchored
    /// at block `anchoredAtBlock`.
    error TanjiDeclarantInactiveAtAnchoring(address declarant, uint64 anchoredAtBlock);
    /// @dev Declaration `digest` has no attestation number `index`.
    error TanjiUnknownAttestation(bytes32 digest, uint256 index);
    /// @dev Attestation `index` of `digest` was already withdrawn at block `withdrawnAtBlock`.
    error TanjiAttestationAlreadyWithdrawn(bytes32 digest, uint256 index, uint64 withdrawnAtBlock);
    /// @dev `account` is neither an active auditor key of the attesting organization nor a regulator.
    error TanjiNotAttestorOrRegulator(address account, bytes32 digest, uint256 index);
    /// @dev `reason` is not a known reason code (1..6).
    error TanjiInvalidReasonCode(uint8 reason);

    /**
     * @dev Records an attestation of the anchored declaration `declaration` with `result`, `assurance` and the
     * hash of the verification report.
     *
     * Requirements: caller an active auditor key; `declaration` inside its anchored root ({TanjiUnknownRoot},
     * {TanjiLeafNotInBatch}), neither revoked nor superseded, its declarant usable at the anchoring block and
     * not a key of the caller's organization; digest and `reportHash` non-zero; `result` in 1..3; `assurance`
     * in 1..2.
     *
     * Emits a {DeclarationAttested} event.
     */
    function attest(
        ITanjiDeclarations.DeclarationRef calldata declaration,
        uint8 result,
        uint8 assurance,
        bytes32 reportHash
    ) external;

    /**
     * @dev Withdraws attestation `index` of `digest` for `reason`; labels resting on it become invalid.
     *
     * Requirements: caller an active auditor key of the attesting organization, or a regulator; the
     * attestation exists and stands; `reason` in 1..6.
     *
     * Emits an {AttestationWithdrawn} event.
     */
    function withdrawAttestation(bytes32 digest, uint256 index, uint8 reason) external;

    /// @dev Returns the membership registry (the TanjiLedger) this registry is bound to.
    function membership() external view returns (ITanjiMembership);

    /// @dev Returns how many attestations `digest` has (withdrawn ones included).
    function attestationCount(bytes32 digest) external view returns (uint256);

    /// @dev Returns attestation `index` of `digest`; reverts with {TanjiUnknownAttestation} when there is none.
    function attestationOf(bytes32 digest, uint256 index) external view returns (Attestation memory);

    /// @dev Returns up to `count` attestations of `digest` from position `offset`, oldest first.
    function attestationsOf(bytes32 digest, uint256 offset, uint256 count)
        external
        view
        returns (Attestation[] memory);
}
