// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @dev Members (organizations), their signing keys and their roles. Events and errors of the membership
 * registry, and the views other Tanji contracts use to gate their functions.
 */
interface ITanjiMembership {
    /// @dev One signing key of an organization. `retiredAtBlock == 0` while the key is active.
    struct KeyRecord {
        bytes32 orgId;
        uint64 addedAtBlock;
        uint64 retiredAtBlock;
    }

    /// @dev One suspension of an organization: inactive from `suspendedAtBlock` through `reinstatedAtBlock`
    /// inclusive (`reinstatedAtBlock == 0` while still suspended).
    struct SuspensionWindow {
        uint64 suspendedAtBlock;
        uint64 reinstatedAtBlock;
    }

    /// @dev Emitted when the admin registers organization `orgId` with its first key.
    event MemberRegistered(bytes32 indexed orgId, string name, address indexed firstKey, address indexed by);
    /// @dev Emitted when organization `orgId` receives `role`.
    event MemberRoleGranted(bytes32 indexed orgId, bytes32 indexed role, address indexed by);
    /// @dev Emitted when organization `orgId` loses `role`.
    event MemberRoleRevoked(bytes32 indexed orgId, bytes32 indexed role, address indexed by);
    /// @dev Emitted when organization `orgId` is suspended; its keys lose every role until reinstated.
    event MemberSuspended(bytes32 indexed orgId, bytes32 reason, address indexed by);
    /// @dev Emitted when a suspended organization `orgId` is reinstated.
    event MemberReinstated(bytes32 indexed orgId, address indexed by);
    /// @dev Emitted when `key` becomes a signing key of organization `orgId`.
    event KeyAdded(bytes32 indexed orgId, address indexed key, address indexed by);
    /// @dev Emitted when the admin proposes `key` for organization `orgId`; the key counts only once accepted.
    event KeyProposed(bytes32 indexed orgId, address indexed key, address indexed by);
    /// @dev Emitted when `key` of organization `orgId` is retired from block `retiredAtBlock` on.
    event KeyRetired(bytes32 indexed orgId, address indexed key, uint64 retiredAtBlock, address by);

    /// @dev The organization id is zero.
    error TanjiZeroOrgId();
    /// @dev A key address is the zero address.
    error TanjiZeroAddress();
    /// @dev Organization `orgId` is already registered.
    error TanjiMemberAlreadyRegistered(bytes32 orgId);
    /// @dev Organization `orgId` is not registered.
    error TanjiUnknownMember(bytes32 orgId);
    /// @dev `account` is not a key of any member organization.
    error TanjiNotMember(address account);
    /// @dev `key` is already (or was once) a key of organization `orgId`; keys are never reused.
    error TanjiKeyAlreadyRegistered(address key, bytes32 orgId);
    /// @dev `key` was retired at block `retiredAtBlock` and can no longer act or sign.
    error TanjiKeyRetired(address key, uint64 retiredAtBlock);
    /// @dev `key` is not a key of organization `orgId`.
    error TanjiKeyNotOfMember(address key, bytes32 orgId);
    /// @dev `key` is the last active key of `orgId`; add a new key before retiring it.
    error TanjiLastActiveKey(bytes32 orgId, address key);
    /// @dev Organization `orgId` is suspended and cannot act.
    error TanjiMemberSuspended(bytes32 orgId);
    /// @dev Organization `orgId` is not suspended.
    error TanjiMemberNotSuspended(bytes32 orgId);
    /// @dev Organization `orgId` holds the admin role and cannot be suspended.
    error TanjiProtectedMember(bytes32 orgId);
    /// @dev `role` is not one of the Tanji roles.
    error TanjiUnknownRole(bytes32 role);
    /// @dev `account` is an active key of `orgId` but the organization lacks `role`.
    error TanjiMissingRole(address account, bytes32 orgId, bytes32 role);
    /// @dev Organization `orgId` already holds `role` (when granting) or does not (when revoking).
    error TanjiRoleUnchanged(bytes32 orgId, bytes32 role);
    /// @dev Roles are granted to organizations with {grantMemberRole}; direct AccessControl calls are refused.
    error TanjiRoleManagedByMembership(bytes32 role, address account);
    /// @dev `account` may not manage the keys of organization `orgId`.
    error TanjiNotKeyManager(address account, bytes32 orgId);
    /// @dev Organization `orgId` already has `maxActiveKeys` active keys; retire one before adding another.
    error TanjiTooManyActiveKeys(bytes32 orgId, uint256 maxActiveKeys);
    /// @dev `key` has no pending proposal for organization `orgId`; the admin proposes it with {proposeKey}.
    error TanjiKeyNotProposed(bytes32 orgId, address key);

    /**
     * @dev Registers organization `orgId` named `name` with `firstKey` and `roles`.
     *
     * Requirements: caller holds the admin role; `orgId` non-zero and new; `firstKey` non-zero and never used;
     * every role known.
     *
     * Emits {MemberRegistered}, {KeyAdded} and one {MemberRoleGranted} per role.
     */
    function registerMember(bytes32 orgId, string calldata name, address firstKey, bytes32[] calldata roles)
        external;

    /**
     * @dev Grants `role` to organization `orgId` (and so to each of its active keys).
     *
     * Requirements: caller holds the admin role; `orgId` registered; `role` known and not yet held.
     *
     * Emits a {MemberRoleGranted} event.
     */
    function grantMemberRole(bytes32 orgId, bytes32 role) external;

    /**
     * @dev Revokes `role` from organization `orgId`.
     *
     * Requirements: caller holds the admin role; `orgId` registered and holding `role`.
     *
     * Emits a {MemberRoleRevoked} event.
     */
    function revokeMemberRole(bytes32 orgId, bytes32 role) external;

    /**
     * @dev Adds `key` as a signing key of organization `orgId` (self-service key rotation by the member).
     *
     * Requirements: caller an active key of `orgId` (the admin cannot add keys to another member: it proposes
     * them with {proposeKey}); `key` non-zero and never used; fewer than the maximum of active keys.
     *
     * Emits a {KeyAdded} event.
     */
    function addKey(bytes32 orgId, address key) external;

    /**
     * @dev Proposes `key` as a signing key of organization `orgId`. The key cannot act or sign for the
     * organization until an active key of `orgId` accepts it with {acceptKey}.
     *
     * Requirements: caller holds the admin role; `orgId` registered; `key` non-zero and never used.
     *
     * Emits a {KeyProposed} event.
     */
    function proposeKey(bytes32 orgId, address key) external;

    /**
     * @dev Accepts the admin's proposal of `key` for organization `orgId`, making it an active key.
     *
     * Requirements: caller an active key of `orgId`; `key` proposed for `orgId`; fewer than the maximum of
     * active keys.
     *
     * Emits a {KeyAdded} event (`by` is the accepting key).
     */
    function acceptKey(bytes32 orgId, address key) external;

    /**
     * @dev Retires `key` of organization `orgId` from the current block on. Past signatures stay judgeable
     * through {wasKeyActiveAt}.
     *
     * Requirements: caller holds the admin role (to cut off a compromised key) or is an active key of `orgId`;
     * `key` an active key of `orgId` and not its last active key.
     *
     * Emits a {KeyRetired} event.
     */
    function retireKey(bytes32 orgId, address key) external;

    /**
     * @dev Suspends organization `orgId` for `reason`: its keys lose every role until reinstated.
     *
     * Requirements: caller holds the admin or regulator role; `orgId` registered, not suspended, not admin.
     *
     * Emits a {MemberSuspended} event.
     */
    function suspendMember(bytes32 orgId, bytes32 reason) external;

    /**
     * @dev Reinstates suspended organization `orgId`.
     *
     * Requirements: caller holds the admin or regulator role; `orgId` suspended.
     *
     * Emits a {MemberReinstated} event.
     */
    function reinstateMember(bytes32 orgId) external;

    /// @dev Returns the name, suspension flag and registration block of organization `orgId`.
    /// @return name The organization's display name.
    /// @return suspended True while suspended.
    /// @return registeredAtBlock Block of registration (0 when unknown).
    function memberInfo(bytes32 orgId)
        external
        view
        returns (string memory name, bool suspended, uint64 registeredAtBlock);

    /// @dev Returns true when organization `orgId` holds `role` (regardless of suspension).
    function memberHasRole(bytes32 orgId, bytes32 role) external view returns (bool);

    /// @dev Returns every key ever added to organization `orgId`, retired ones included.
    function memberKeys(bytes32 orgId) external view returns (address[] memory);

    /// @dev Returns the active keys of organization `orgId` (at most `MAX_ACTIVE_KEYS`, in no fixed order).
    function activeKeys(bytes32 orgId) external view returns (address[] memory);

    /// @dev Returns the organization `key` is proposed for (zero when none is pending).
    function proposedKeyOrg(address key) external view returns (bytes32);

    /// @dev Returns every suspension of organization `orgId`, oldest first.
    function suspensionsOf(bytes32 orgId) external view returns (SuspensionWindow[] memory);

    /**
     * @dev Returns true when organization `orgId` was registered and not suspended at block `blockNumber`.
     * A suspension covers its whole first and last block, so a declaration anchored in the block of a
     * suspension or of a reinstatement counts as anchored while suspended.
     */
    function wasOrgActiveAt(bytes32 orgId, uint256 blockNumber) external view returns (bool);

    /**
     * @dev Returns true when `key` was an active key of an unsuspended organization at block `blockNumber`: the
     * test a verifier applies to a declaration's declarant at its anchoring block.
     */
    function wasKeyUsableAt(address key, uint256 blockNumber) external view returns (bool);

    /// @dev Returns the record of `key` (zero record when unknown).
    function keyRecord(address key) external view returns (KeyRecord memory);

    /// @dev Returns true when `key` was an active key of its organization at block `blockNumber`.
    function wasKeyActiveAt(address key, uint256 blockNumber) external view returns (bool);

    /**
     * @dev Returns the organization of `account` when it is an active key of an unsuspended member holding
     * `role`; otherwise reverts with the first reason it is not: {TanjiNotMember}, {TanjiKeyRetired},
     * {TanjiMemberSuspended} or {TanjiMissingRole}.
     */
    function requireActive(address account, bytes32 role) external view returns (bytes32 orgId);
}
