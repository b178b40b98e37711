// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @dev Role identifiers shared by every Tanji contract. Roles belong to member organizations and are
 * mirrored onto each active, unsuspended key of the organization as OpenZeppelin AccessControl roles.
 */
library TanjiRoles {
    /// @dev Consortium operator: registers members, grants roles. Equal to AccessControl's DEFAULT_ADMIN_ROLE.
    bytes32 internal constant ADMIN = 0x00;
    /// @dev Declarant: signs product carbon footprint declarations.
    bytes32 internal constant SUPPLIER = keccak256("SUPPLIER_ROLE");
    /// @dev Chain-leader firm (链主企业): requests declarations and signs rolled-up footprints.
    bytes32 internal constant CHAIN_LEADER = keccak256("CHAIN_LEADER_ROLE");
    /// @dev Third-party verifier: attests declaration digests.
    bytes32 internal constant AUDITOR = keccak256("AUDITOR_ROLE");
    /// @dev Certification body: issues, suspends, reinstates and revokes carbon labels.
    bytes32 internal constant CERTIFIER = keccak256("CERTIFIER_ROLE");
    /// @dev Regulator: suspends members, revokes declarations and labels.
    bytes32 internal constant REGULATOR = keccak256("REGULATOR_ROLE");
    /// @dev Ledger service key that submits Merkle batches.
    bytes32 internal constant ANCHORER = keccak256("ANCHORER_ROLE");

    /// @dev Number of known roles.
    uint256 internal constant COUNT = 7;

    /// @dev Returns the known roles in a fixed order.
    function all() internal pure returns (bytes32[] memory roles) {
        roles = new bytes32[](COUNT);
        roles[0] = ADMIN;
        roles[1] = SUPPLIER;
        roles[2] = CHAIN_LEADER;
        roles[3] = AUDITOR;
        roles[4] = CERTIFIER;
        roles[5] = REGULATOR;
        roles[6] = ANCHORER;
    }

    /// @dev Returns true when `role` is one of the known roles.
    function isKnown(bytes32 role) internal pure returns (bool) {
        bytes32[] memory roles = all();
        for (uint256 i = 0; i < COUNT; ++i) {
            if (roles[i] == role) return true;
        }
        return false;
    }
}
