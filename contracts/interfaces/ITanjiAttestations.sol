// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @dev Auditor attestations over declaration digests.
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

    /// @dev One attestation.
    struct Attestation {
        bytes32 auditorOrg;
        address auditor;
        Result result;
        Assurance assurance;
        uint64 attestedAtBlock;
        bytes32 reportHash;
    }

    /// @dev Emitted when `auditor` of `auditorOrg` attests declaration `digest`.
    event DeclarationAttested(
        bytes32 indexed digest,
        bytes32 indexed auditorOrg,
        address auditor,
        Result result,
        Assurance assurance,
        bytes32 reportHash
    );

    /// @dev The declaration digest is zero.
    error TanjiZeroDigest();
    /// @dev `result` is not 1 (verified), 2 (qualified) or 3 (rejected).
    error TanjiInvalidAttestationResult(uint8 result);
    /// @dev `assurance` is not 1 (limited) or 2 (reasonable).
    error TanjiInvalidAssurance(uint8 assurance);
    /// @dev The verification report hash for `digest` is zero.
    error TanjiZeroReportHash(bytes32 digest);

    /**
     * @dev Records an attestation of declaration `digest` with `result`, `assurance` and the hash of the
     * verification report.
     *
     * Requirements: caller an active auditor key; `digest` and `reportHash` non-zero; `result` in 1..3;
     * `assurance` in 1..2.
     *
     * Emits a {DeclarationAttested} event.
     */
    function attest(bytes32 digest, uint8 result, uint8 assurance, bytes32 reportHash) external;

    /// @dev Returns every attestation of `digest`, oldest first.
    function attestationsOf(bytes32 digest) external view returns (Attestation[] memory);
}
