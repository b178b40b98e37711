// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ITanjiMembership} from "./interfaces/ITanjiMembership.sol";
import {TanjiRoles} from "./TanjiRoles.sol";

/**
 * @dev Membership registry of the consortium. Organizations hold roles; their keys hold the *effective*
 * AccessControl roles: a key has a role exactly when it is active, its organization is not suspended and
 * the organization holds the role. Keeping that mirror in sync on every change lets hot paths such as
 * batch anchoring check a single storage slot with {hasRole}.
 *
 * Work per call is bounded: an organization has at most {MAX_ACTIVE_KEYS} active keys, and every loop runs
 * over the active keys only (retired keys keep their record but leave the active set), so the cost of a
 * suspension or role change does not grow with an organization's key history.
 */
abstract contract TanjiMembership is AccessControl, ITanjiMembership {
    struct MemberRecord {
        string name;
        uint64 registeredAtBlock;
        bool suspended;
    }

    /// @dev Most active keys one organization may hold at once.
    uint256 public constant MAX_ACTIVE_KEYS = 8;

    mapping(bytes32 orgId => MemberRecord) private _members;
    mapping(bytes32 orgId => mapping(bytes32 role => bool)) private _memberRoles;
    mapping(bytes32 orgId => address[]) private _memberKeys;
    mapping(address key => KeyRecord) private _keys;
    mapping(bytes32 orgId => address[]) private _activeKeys;
    mapping(address key => bytes32 orgId) private _proposedKeys;
    mapping(bytes32 orgId => SuspensionWindow[]) private _suspensions;

    /// @dev Registers the consortium operator `operatorOrg` with the deployer as its key (admin + anchorer).
    constructor(bytes32 operatorOrg, string memory operatorName) {
        bytes32[] memory roles = new bytes32[](2);
        roles[0] = TanjiRoles.ADMIN;
        roles[1] = TanjiRoles.ANCHORER;
        _register(operatorOrg, operatorName, msg.sender, roles);
    }

    /// @inheritdoc ITanjiMembership
    function registerMember(bytes32 orgId, string calldata name, address firstKey, bytes32[] calldata roles)
        external
        onlyRole(TanjiRoles.ADMIN)
    {
        _register(orgId, name, firstKey, roles);
    }

    /// @inheritdoc ITanjiMembership
    function grantMemberRole(bytes32 orgId, bytes32 role) external onlyRole(TanjiRoles.ADMIN) {
        _requireRegistered(orgId);
        if (!TanjiRoles.isKnown(role)) revert TanjiUnknownRole(role);
        if (_memberRoles[orgId][role]) revert TanjiRoleUnchanged(orgId, role);
        _memberRoles[orgId][role] = true;
        _syncMember(orgId);
        emit MemberRoleGranted(orgId, role, msg.sender);
    }

    /// @inheritdoc ITanjiMembership
    function revokeMemberRole(bytes32 orgId, bytes32 role) external onlyRole(TanjiRoles.ADMIN) {
        _requireRegistered(orgId);
        if (!_memberRoles[orgId][role]) revert TanjiRoleUnchanged(orgId, role);
        _memberRoles[orgId][role] = false;
        _syncMember(orgId);
        emit MemberRoleRevoked(orgId, role, msg.sender);
    }

    /// @inheritdoc ITanjiMembership
    function addKey(bytes32 orgId, address key) external {
        _requireOwnKey(orgId);
        _addKey(orgId, key);
    }

    /// @inheritdoc ITanjiMembership
    function proposeKey(bytes32 orgId, address key) external onlyRole(TanjiRoles.ADMIN) {
        _requireRegistered(orgId);
        _requireUnusedKey(key);
        _proposedKeys[key] = orgId;
        emit KeyProposed(orgId, key, msg.sender);
    }

    /// @inheritdoc ITanjiMembership
    function acceptKey(bytes32 orgId, address key) external {
        _requireOwnKey(orgId);
        if (_proposedKeys[key] != orgId) revert TanjiKeyNotProposed(orgId, key);
        delete _proposedKeys[key];
        _addKey(orgId, key);
    }

    /// @inheritdoc ITanjiMembership
    function retireKey(bytes32 orgId, address key) external {
        _requireKeyManager(orgId);
        KeyRecord storage record = _keys[key];
        if (record.orgId != orgId) revert TanjiKeyNotOfMember(key, orgId);
        if (record.retiredAtBlock != 0) revert TanjiKeyRetired(key, record.retiredAtBlock);
        address[] storage active = _activeKeys[orgId];
        uint256 count = active.length;
        if (count == 1) revert TanjiLastActiveKey(orgId, key);
        for (uint256 i = 0; i < count; ++i) {
            if (active[i] == key) {
                active[i] = active[count - 1];
                active.pop();
                break;
            }
        }
        uint64 retiredAt = uint64(block.number);
        record.retiredAtBlock = retiredAt;
        _syncKey(orgId, key);
        emit KeyRetired(orgId, key, retiredAt, msg.sender);
    }

    /// @inheritdoc ITanjiMembership
    function suspendMember(bytes32 orgId, bytes32 reason) external {
        _requireAdminOrRegulator();
        _requireRegistered(orgId);
        MemberRecord storage member = _members[orgId];
        if (member.suspended) revert TanjiMemberSuspended(orgId);
        if (_memberRoles[orgId][TanjiRoles.ADMIN]) revert TanjiProtectedMember(orgId);
        member.suspended = true;
        _suspensions[orgId].push(SuspensionWindow({suspendedAtBlock: uint64(block.number), reinstatedAtBlock: 0}));
        _syncMember(orgId);
        emit MemberSuspended(orgId, reason, msg.sender);
    }

    /// @inheritdoc ITanjiMembership
    function reinstateMember(bytes32 orgId) external {
        _requireAdminOrRegulator();
        _requireRegistered(orgId);
        MemberRecord storage member = _members[orgId];
        if (!member.suspended) revert TanjiMemberNotSuspended(orgId);
        member.suspended = false;
        SuspensionWindow[] storage windows = _suspensions[orgId];
        windows[windows.length - 1].reinstatedAtBlock = uint64(block.number);
        _syncMember(orgId);
        emit MemberReinstated(orgId, msg.sender);
    }

    /// @dev Roles are managed per organization; see {grantMemberRole}.
    function grantRole(bytes32 role, address account) public pure override {
        revert TanjiRoleManagedByMembership(role, account);
    }

    /// @dev Roles are managed per organization; see {revokeMemberRole}.
    function revokeRole(bytes32 role, address account) public pure override {
        revert TanjiRoleManagedByMembership(role, account);
    }

    /// @dev Keys leave an organization through {retireKey}.
    function renounceRole(bytes32 role, address account) public pure override {
        revert TanjiRoleManagedByMembership(role, account);
    }

    /// @inheritdoc ITanjiMembership
    function memberInfo(bytes32 orgId)
        external
        view
        returns (string memory name, bool suspended, uint64 registeredAtBlock)
    {
        MemberRecord storage member = _members[orgId];
        return (member.name, member.suspended, member.registeredAtBlock);
    }

    /// @inheritdoc ITanjiMembership
    function memberHasRole(bytes32 orgId, bytes32 role) external view returns (bool) {
        return _memberRoles[orgId][role];
    }

    /// @inheritdoc ITanjiMembership
    function memberKeys(bytes32 orgId) external view returns (address[] memory) {
        return _memberKeys[orgId];
    }

    /// @inheritdoc ITanjiMembership
    function activeKeys(bytes32 orgId) external view returns (address[] memory) {
        return _activeKeys[orgId];
    }

    /// @inheritdoc ITanjiMembership
    function proposedKeyOrg(address key) external view returns (bytes32) {
        return _proposedKeys[key];
    }

    /// @inheritdoc ITanjiMembership
    function suspensionsOf(bytes32 orgId) external view returns (SuspensionWindow[] memory) {
        return _suspensions[orgId];
    }

    /// @inheritdoc ITanjiMembership
    function wasOrgActiveAt(bytes32 orgId, uint256 blockNumber) external view returns (bool) {
        return _wasOrgActiveAt(orgId, blockNumber);
    }

    /// @inheritdoc ITanjiMembership
    function wasKeyUsableAt(address key, uint256 blockNumber) external view returns (bool) {
        return _wasKeyActiveAt(key, blockNumber) && _wasOrgActiveAt(_keys[key].orgId, blockNumber);
    }

    /// @inheritdoc ITanjiMembership
    function keyRecord(address key) external view returns (KeyRecord memory) {
        return _keys[key];
    }

    /// @inheritdoc ITanjiMembership
    function wasKeyActiveAt(address key, uint256 blockNumber) external view returns (bool) {
        return _wasKeyActiveAt(key, blockNumber);
    }

    /// @inheritdoc ITanjiMembership
    function requireActive(address account, bytes32 role) external view returns (bytes32 orgId) {
        _checkRole(role, account);
        return _keys[account].orgId;
    }

    /// @dev Explains a missing effective role with the first failing rule (cold path only).
    function _checkRole(bytes32 role, address account) internal view override {
        if (hasRole(role, account)) return;
        KeyRecord storage record = _keys[account];
        if (record.orgId == bytes32(0)) revert TanjiNotMember(account);
        if (record.retiredAtBlock != 0) revert TanjiKeyRetired(account, record.retiredAtBlock);
        if (_members[record.orgId].suspended) revert TanjiMemberSuspended(record.orgId);
        revert TanjiMissingRole(account, record.orgId, role);
    }

    /// @dev Returns the organization of `account` if it is an active key of an unsuspended member, else reverts.
    function _requireActiveKey(address account) internal view returns (bytes32 orgId) {
        KeyRecord storage record = _keys[account];
        orgId = record.orgId;
        if (orgId == bytes32(0)) revert TanjiNotMember(account);
        if (record.retiredAtBlock != 0) revert TanjiKeyRetired(account, record.retiredAtBlock);
        if (_members[orgId].suspended) revert TanjiMemberSuspended(orgId);
    }

    /// @dev Returns the organization `key` belongs (or belonged) to; zero when unknown.
    function _orgOf(address key) internal view returns (bytes32) {
        return _keys[key].orgId;
    }

    function _register(bytes32 orgId, string memory name, address firstKey, bytes32[] memory roles) private {
        if (orgId == bytes32(0)) revert TanjiZeroOrgId();
        MemberRecord storage member = _members[orgId];
        if (member.registeredAtBlock != 0) revert TanjiMemberAlreadyRegistered(orgId);
        member.name = name;
        member.registeredAtBlock = uint64(block.number);
        emit MemberRegistered(orgId, name, firstKey, msg.sender);
        for (uint256 i = 0; i < roles.length; ++i) {
            bytes32 role = roles[i];
            if (!TanjiRoles.isKnown(role)) revert TanjiUnknownRole(role);
            if (_memberRoles[orgId][role]) revert TanjiRoleUnchanged(orgId, role);
            _memberRoles[orgId][role] = true;
            emit MemberRoleGranted(orgId, role, msg.sender);
        }
        _addKey(orgId, firstKey);
    }

    function _addKey(bytes32 orgId, address key) private {
        _requireUnusedKey(key);
        address[] storage active = _activeKeys[orgId];
        if (active.length >= MAX_ACTIVE_KEYS) revert TanjiTooManyActiveKeys(orgId, MAX_ACTIVE_KEYS);
        _keys[key] = KeyRecord({orgId: orgId, addedAtBlock: uint64(block.number), retiredAtBlock: 0});
        _memberKeys[orgId].push(key);
        active.push(key);
        _syncKey(orgId, key);
        emit KeyAdded(orgId, key, msg.sender);
    }

    function _requireUnusedKey(address key) private view {
        if (key == address(0)) revert TanjiZeroAddress();
        bytes32 existing = _keys[key].orgId;
        if (existing != bytes32(0)) revert TanjiKeyAlreadyRegistered(key, existing);
    }

    function _wasKeyActiveAt(address key, uint256 blockNumber) private view returns (bool) {
        KeyRecord storage record = _keys[key];
        if (record.orgId == bytes32(0) || blockNumber < record.addedAtBlock) return false;
        return record.retiredAtBlock == 0 || blockNumber < record.retiredAtBlock;
    }

    /// @dev Binary search for the last suspension that began at or before `blockNumber` (windows are in block order).
    function _wasOrgActiveAt(bytes32 orgId, uint256 blockNumber) private view returns (bool) {
        uint64 registeredAt = _members[orgId].registeredAtBlock;
        if (registeredAt == 0 || blockNumber < registeredAt) return false;
        SuspensionWindow[] storage windows = _suspensions[orgId];
        uint256 low = 0;
        uint256 high = windows.length;
        while (low < high) {
            uint256 mid = (low + high) / 2;
            if (windows[mid].suspendedAtBlock <= blockNumber) low = mid + 1;
            else high = mid;
        }
        if (low == 0) return true;
        uint64 reinstatedAt = windows[low - 1].reinstatedAtBlock;
        return reinstatedAt != 0 && blockNumber > reinstatedAt;
    }

    function _requireRegistered(bytes32 orgId) private view {
        if (_members[orgId].registeredAtBlock == 0) revert TanjiUnknownMember(orgId);
    }

    function _requireKeyManager(bytes32 orgId) private view {
        _requireRegistered(orgId);
        if (hasRole(TanjiRoles.ADMIN, msg.sender)) return;
        if (_requireActiveKey(msg.sender) != orgId) revert TanjiNotKeyManager(msg.sender, orgId);
    }

    /// @dev Only the organization's own active keys may bring in a new key (the member's consent).
    function _requireOwnKey(bytes32 orgId) private view {
        _requireRegistered(orgId);
        if (_keys[msg.sender].orgId != orgId) revert TanjiNotKeyManager(msg.sender, orgId);
        _requireActiveKey(msg.sender);
    }

    function _requireAdminOrRegulator() private view {
        if (hasRole(TanjiRoles.ADMIN, msg.sender)) return;
        _checkRole(TanjiRoles.REGULATOR, msg.sender);
    }

    /// @dev Re-derives the effective roles of every active key of `orgId` (retired keys hold no role already).
    function _syncMember(bytes32 orgId) private {
        address[] storage keys = _activeKeys[orgId];
        for (uint256 i = 0; i < keys.length; ++i) {
            _syncKey(orgId, keys[i]);
        }
    }

    /// @dev Grants or revokes each role on `key` so that AccessControl mirrors the organization's state.
    function _syncKey(bytes32 orgId, address key) private {
        bool usable = _keys[key].retiredAtBlock == 0 && !_members[orgId].suspended;
        bytes32[] memory roles = TanjiRoles.all();
        for (uint256 i = 0; i < TanjiRoles.COUNT; ++i) {
            bytes32 role = roles[i];
            if (usable && _memberRoles[orgId][role]) {
                _grantRole(role, key);
            } else {
                _revokeRole(role, key);
            }
        }
    }
}
