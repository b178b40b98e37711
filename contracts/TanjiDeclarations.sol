// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ITanjiDeclarations} from "./interfaces/ITanjiDeclarations.sol";
import {TanjiMembership} from "./TanjiMembership.sol";
import {TanjiRoles} from "./TanjiRoles.sol";

/**
 * @dev Declaration anchoring on top of the membership registry. Only hashes go on chain.
 */
abstract contract TanjiDeclarations is TanjiMembership, EIP712, Nonces, ITanjiDeclarations {
    /// @dev Record-type tag of declaration leaves.
    bytes32 public constant DECLARATION_LEAF_TAG = keccak256("tanji.leaf.declaration.v1");
    /// @dev EIP-712 type hash of {SignedDeclaration}.
    bytes32 public constant SIGNED_DECLARATION_TYPEHASH = keccak256(
        "SignedDeclaration(bytes32 digest,address declarant,bytes32 productIdHash,uint64 version,uint64 validFrom,"
        "uint64 validUntil,uint256 nonce)"
    );
    /// @dev EIP-712 type hash of a member's consent to supersede one declaration by another.
    bytes32 public constant SUPERSESSION_TYPEHASH = keccak256("Supersession(bytes32 predecessor,bytes32 successor)");
    /// @dev Highest reason code: 1 data error, 2 methodology change, 3 misstatement, 4 key compromise,
    /// 5 withdrawn by declarant, 6 regulatory order.
    uint8 public constant MAX_REASON_CODE = 6;

    mapping(bytes32 root => Batch) private _batches;
    mapping(bytes32 leaf => LeafStatus) private _statuses;
    bytes32[] private _changedLeaves;

    /// @inheritdoc ITanjiDeclarations
    function anchorBatch(bytes32 root, uint32 leafCount, string calldata metadataURI)
        external
        onlyRole(TanjiRoles.ANCHORER)
    {
        _anchor(root, leafCount);
        emit BatchAnchored(root, metadataURI);
    }

    /// @inheritdoc ITanjiDeclarations
    function anchorSigned(SignedDeclaration calldata d, bytes calldata signature) external returns (bytes32 leaf) {
        if (msg.sender != d.declarant) _checkRole(TanjiRoles.ANCHORER, msg.sender);
        if (d.digest == bytes32(0)) revert TanjiZeroDigest();
        if (d.validUntil != 0 && d.validUntil <= d.validFrom) revert TanjiInvalidValidity(d.validFrom, d.validUntil);
        address recovered = ECDSA.recover(_hashTypedDataV4(_structHash(d)), signature);
        if (recovered != d.declarant) revert TanjiInvalidSignature(d.declarant, recovered);
        _checkRole(TanjiRoles.SUPPLIER, d.declarant);
        _useCheckedNonce(d.declarant, d.nonce);
        leaf = _leaf(d.digest, d.declarant);
        _anchor(leaf, 1);
        emit DeclarationAnchored(d.digest, d.declarant, leaf, d.nonce);
        emit BatchAnchored(leaf, "");
    }

    /// @inheritdoc ITanjiDeclarations
    function revokeDeclaration(
        bytes32 root,
        bytes32 digest,
        address declarant,
        bytes32[] calldata proof,
        uint8 reason
    ) external {
        if (reason == 0 || reason > MAX_REASON_CODE) revert TanjiInvalidReasonCode(reason);
        bytes32 leaf = _openForChange(root, digest, declarant, proof);
        _statuses[leaf] = LeafStatus({
            status: Status.Revoked,
            reason: reason,
            changedAtBlock: uint64(block.number),
            changedBy: msg.sender,
            successor: bytes32(0)
        });
        _changedLeaves.push(leaf);
        emit DeclarationRevoked(leaf, digest, reason, msg.sender);
    }

    /// @inheritdoc ITanjiDeclarations
    function supersedeDeclaration(
        bytes32 root,
        bytes32 digest,
        address declarant,
        bytes32[] calldata proof,
        bytes32 successor
    ) external {
        if (successor == bytes32(0) || successor == digest) revert TanjiInvalidSuccessor(successor);
        bytes32 leaf = _openForChange(root, digest, declarant, proof);
        _markSuperseded(leaf, digest, successor, msg.sender);
    }

    /// @inheritdoc ITanjiDeclarations
    function supersedeWithConsent(
        DeclarationRef calldata predecessor,
        DeclarationRef calldata successor,
        bytes calldata signature
    ) external {
        bytes32 next = successor.digest;
        if (next == bytes32(0) || next == predecessor.digest) revert TanjiInvalidSuccessor(next);
        bytes32 leaf = _leaf(predecessor.digest, predecessor.declarant);
        _requireInBatch(predecessor.root, leaf, predecessor.proof);
        bytes32 nextLeaf = _leaf(next, successor.declarant);
        _requireInBatch(successor.root, nextLeaf, successor.proof);
        bytes32 org = _orgOf(predecessor.declarant);
        if (_orgOf(successor.declarant) != org) revert TanjiSuccessorFromAnotherMember(org, successor.declarant);
        address signer = ECDSA.recover(_hashTypedDataV4(_supersessionHash(predecessor.digest, next)), signature);
        if (_orgOf(signer) != org || org == bytes32(0)) revert TanjiSupersessionNotConsented(signer, org);
        _requireActiveKey(signer);
        _requireNotFinal(leaf);
        _requireNotFinal(nextLeaf);
        _markSuperseded(leaf, predecessor.digest, next, signer);
    }

    /// @inheritdoc ITanjiDeclarations
    function batchOf(bytes32 root) external view returns (Batch memory) {
        return _batches[root];
    }

    /// @inheritdoc ITanjiDeclarations
    function statusOf(bytes32 root, bytes32 leaf, bytes32[] calldata proof)
        external
        view
        returns (Batch memory batch, LeafStatus memory status)
    {
        batch = _requireInBatch(root, leaf, proof);
        status = _statuses[leaf];
        if (status.status == Status.Unknown) status.status = Status.Anchored;
    }

    /// @inheritdoc ITanjiDeclarations
    function leafStatuses(bytes32[] calldata leaves) external view returns (LeafStatus[] memory statuses) {
        statuses = new LeafStatus[](leaves.length);
        for (uint256 i = 0; i < leaves.length; ++i) {
            statuses[i] = _statuses[leaves[i]];
        }
    }

    /// @inheritdoc ITanjiDeclarations
    function changedLeafCount() external view returns (uint256) {
        return _changedLeaves.length;
    }

    /// @inheritdoc ITanjiDeclarations
    function changedLeaves(uint256 start, uint256 count)
        external
        view
        returns (bytes32[] memory leaves, LeafStatus[] memory statuses)
    {
        uint256 total = _changedLeaves.length;
        uint256 end = start >= total ? start : (count > total - start ? total : start + count);
        leaves = new bytes32[](end - start);
        statuses = new LeafStatus[](end - start);
        for (uint256 i = start; i < end; ++i) {
            leaves[i - start] = _changedLeaves[i];
            statuses[i - start] = _statuses[_changedLeaves[i]];
        }
    }

    /// @inheritdoc ITanjiDeclarations
    function declarationLeaf(bytes32 digest, address declarant) external pure returns (bytes32) {
        return _leaf(digest, declarant);
    }

    /// @inheritdoc ITanjiDeclarations
    function hashSupersession(bytes32 predecessor, bytes32 successor) external view returns (bytes32) {
        return _hashTypedDataV4(_supersessionHash(predecessor, successor));
    }

    /// @inheritdoc ITanjiDeclarations
    function hashSignedDeclaration(SignedDeclaration calldata d) external view returns (bytes32) {
        return _hashTypedDataV4(_structHash(d));
    }

    /// @dev Records `root`; reverts on a zero root, zero count or duplicate.
    function _anchor(bytes32 root, uint32 leafCount) private {
        if (root == bytes32(0)) revert TanjiZeroRoot();
        if (leafCount == 0) revert TanjiZeroLeafCount(root);
        Batch storage batch = _batches[root];
        if (batch.anchoredAtBlock != 0) revert TanjiRootAlreadyAnchored(root, batch.anchoredAtBlock);
        _batches[root] = Batch({anchoredAtBlock: uint64(block.number), leafCount: leafCount, anchorer: msg.sender});
    }

    /// @dev Checks inclusion, authority and finality before a status change; returns the leaf.
    function _openForChange(bytes32 root, bytes32 digest, address declarant, bytes32[] calldata proof)
        private
        view
        returns (bytes32 leaf)
    {
        leaf = _leaf(digest, declarant);
        _requireInBatch(root, leaf, proof);
        if (!hasRole(TanjiRoles.REGULATOR, msg.sender)) {
            bytes32 callerOrg = _requireActiveKey(msg.sender);
            if (callerOrg != _orgOf(declarant)) revert TanjiNotDeclarantOrRegulator(msg.sender, declarant);
        }
        _requireNotFinal(leaf);
    }

    function _requireNotFinal(bytes32 leaf) private view {
        Status current = _statuses[leaf].status;
        if (current != Status.Unknown) revert TanjiDeclarationFinal(leaf, current);
    }

    function _markSuperseded(bytes32 leaf, bytes32 digest, bytes32 successor, address by) private {
        _statuses[leaf] = LeafStatus({
            status: Status.Superseded,
            reason: 0,
            changedAtBlock: uint64(block.number),
            changedBy: by,
            successor: successor
        });
        _changedLeaves.push(leaf);
        emit DeclarationSuperseded(leaf, digest, successor, by);
    }

    function _supersessionHash(bytes32 predecessor, bytes32 successor) private pure returns (bytes32) {
        return keccak256(abi.encode(SUPERSESSION_TYPEHASH, predecessor, successor));
    }

    function _requireInBatch(bytes32 root, bytes32 leaf, bytes32[] calldata proof)
        private
        view
        returns (Batch memory batch)
    {
        batch = _batches[root];
        if (batch.anchoredAtBlock == 0) revert TanjiUnknownRoot(root);
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert TanjiLeafNotInBatch(root, leaf);
    }

    function _leaf(bytes32 digest, address declarant) private pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(DECLARATION_LEAF_TAG, digest, declarant))));
    }

    function _structHash(SignedDeclaration calldata d) private pure returns (bytes32) {
        return keccak256(
            abi.encode(
                SIGNED_DECLARATION_TYPEHASH,
                d.digest,
                d.declarant,
                d.productIdHash,
                d.version,
                d.validFrom,
                d.validUntil,
                d.nonce
            )
        );
    }
}
