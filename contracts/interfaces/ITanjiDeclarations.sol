// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.37;

/**
 * @dev Anchoring of declaration digests (Merkle batches and single EIP-712-signed declarations) and the
 * per-declaration status (anchored, revoked, superseded).
 *
 * Leaves follow OpenZeppelin's StandardMerkleTree with leaf encoding `(bytes32 tag, bytes32 digest,
 * address declarant)`: `keccak256(bytes.concat(keccak256(abi.encode(tag, digest, declarant))))`. The record
 * type tag keeps leaves of different record types apart, and the double hash keeps a leaf from ever being
 * read as an inner node.
 */
interface ITanjiDeclarations {
    /// @dev Lifecycle of one anchored declaration.
    enum Status {
        Unknown,
        Anchored,
        Revoked,
        Superseded
    }

    /// @dev The message a declarant signs to anchor one declaration on chain.
    struct SignedDeclaration {
        bytes32 digest;
        address declarant;
        bytes32 productIdHash;
        uint64 version;
        uint64 validFrom;
        uint64 validUntil;
        uint256 nonce;
    }

    /// @dev One declaration as anchored: the batch `root`, the leaf's `digest` and `declarant`, and the Merkle
    /// `proof` of the leaf inside `root` (empty for a one-leaf root such as {anchorSigned}'s).
    struct DeclarationRef {
        bytes32 root;
        bytes32 digest;
        address declarant;
        bytes32[] proof;
    }

    /// @dev An anchored Merkle root (one storage slot).
    struct Batch {
        uint64 anchoredAtBlock;
        uint32 leafCount;
        address anchorer;
    }

    /// @dev Status change of one leaf; empty while the leaf is merely anchored.
    struct LeafStatus {
        Status status;
        uint8 reason;
        uint64 changedAtBlock;
        address changedBy;
        bytes32 successor;
    }

    /// @dev Emitted when Merkle root `root` is anchored; `metadataURI` says where its leaf list is published.
    /// The leaf count and anchorer are kept in {batchOf} rather than repeated here: every byte of this event is
    /// paid per batch, and batch anchoring must stay under 50,000 gas.
    event BatchAnchored(bytes32 indexed root, string metadataURI);
    /// @dev Emitted when the signed declaration `digest` of `declarant` is anchored as the one-leaf root `leaf`.
    event DeclarationAnchored(bytes32 indexed digest, address indexed declarant, bytes32 leaf, uint256 nonce);
    /// @dev Emitted when the declaration `leaf` (digest `digest`) is revoked for `reason` by `by`.
    event DeclarationRevoked(bytes32 indexed leaf, bytes32 indexed digest, uint8 reason, address indexed by);
    /// @dev Emitted when the declaration `leaf` (digest `digest`) is superseded by `successor`.
    event DeclarationSuperseded(bytes32 indexed leaf, bytes32 indexed digest, bytes32 successor, address indexed by);

    /// @dev The Merkle root is zero.
    error TanjiZeroRoot();
    /// @dev Root `root` was anchored with zero leaves.
    error TanjiZeroLeafCount(bytes32 root);
    /// @dev Root `root` was already anchored at block `anchoredAtBlock`.
    error TanjiRootAlreadyAnchored(bytes32 root, uint64 anchoredAtBlock);
    /// @dev Root `root` has never been anchored.
    error TanjiUnknownRoot(bytes32 root);
    /// @dev The proof does not show `leaf` to be inside the batch `root`.
    error TanjiLeafNotInBatch(bytes32 root, bytes32 leaf);
    /// @dev The signature recovers to `recovered`, not to the stated `declarant`.
    error TanjiInvalidSignature(address declarant, address recovered);
    /// @dev The validity window [`validFrom`, `validUntil`) is empty.
    error TanjiInvalidValidity(uint64 validFrom, uint64 validUntil);
    /// @dev The declaration digest is zero.
    error TanjiZeroDigest();
    /// @dev `caller` is neither an active key of the declaring organization of `declarant` nor a regulator.
    error TanjiNotDeclarantOrRegulator(address caller, address declarant);
    /// @dev Leaf `leaf` is already `status` (revoked or superseded); its status is final.
    error TanjiDeclarationFinal(bytes32 leaf, Status status);
    /// @dev `reason` is not a known reason code (1..6).
    error TanjiInvalidReasonCode(uint8 reason);
    /// @dev `successor` is zero or equal to the superseded digest.
    error TanjiInvalidSuccessor(bytes32 successor);
    /// @dev The successor's declarant `successorDeclarant` is not a key of `orgId`, the predecessor's organization.
    error TanjiSuccessorFromAnotherMember(bytes32 orgId, address successorDeclarant);
    /// @dev The supersession was signed by `signer`, which is not a key of the declaring organization `orgId`.
    error TanjiSupersessionNotConsented(address signer, bytes32 orgId);

    /**
     * @dev Anchors the Merkle `root` of `leafCount` declaration leaves; `metadataURI` says where the batch's
     * leaf list is published.
     *
     * Requirements: caller holds the anchorer role; `root` non-zero and new; `leafCount` non-zero.
     *
     * Emits a {BatchAnchored} event.
     */
    function anchorBatch(bytes32 root, uint32 leafCount, string calldata metadataURI) external;

    /**
     * @dev Anchors one declaration signed by its declarant (EIP-712 over {SignedDeclaration}) as a one-leaf
     * batch whose root is the leaf. Consumes the declarant's nonce (replay protection).
     *
     * Requirements: caller holds the anchorer role or is the declarant; signature by `d.declarant`; declarant an
     * active supplier key; `d.nonce` equal to {nonces}(`d.declarant`); digest non-zero; validity non-empty.
     *
     * Emits {DeclarationAnchored} and {BatchAnchored} events.
     */
    function anchorSigned(SignedDeclaration calldata d, bytes calldata signature) external returns (bytes32 leaf);

    /**
     * @dev Revokes the declaration `digest` of `declarant` inside batch `root` for `reason`.
     *
     * Requirements: caller an active key of the declarant's organization, or a regulator; `proof` shows the
     * leaf inside `root`; the leaf not yet revoked or superseded; `reason` in 1..6.
     *
     * Emits a {DeclarationRevoked} event.
     */
    function revokeDeclaration(
        bytes32 root,
        bytes32 digest,
        address declarant,
        bytes32[] calldata proof,
        uint8 reason
    ) external;

    /**
     * @dev Marks the declaration `digest` of `declarant` inside batch `root` as superseded by `successor`.
     *
     * Requirements: as {revokeDeclaration}; `successor` non-zero and different from `digest`.
     *
     * Emits a {DeclarationSuperseded} event.
     */
    function supersedeDeclaration(
        bytes32 root,
        bytes32 digest,
        address declarant,
        bytes32[] calldata proof,
        bytes32 successor
    ) external;

    /**
     * @dev Marks the declaration `predecessor` superseded by the anchored declaration `successor` on the
     * strength of `signature`: an EIP-712 signature of `Supersession(bytes32 predecessor,bytes32 successor)`
     * (the two digests) by an active key of the declaring organization. Anyone may submit it (e.g. the
     * anchoring service), so supersession is automatable without the server holding member keys, and no one
     * without such a signature (nor anyone who can write the ledger's database) can make or undo it.
     *
     * Requirements: both leaves inside their anchored roots; `successor` declared by a key of the same
     * organization and not itself revoked or superseded; the predecessor not yet revoked or superseded;
     * the signer an active key of the declaring organization, which is not suspended.
     *
     * Emits a {DeclarationSuperseded} event with `by` the consenting signer.
     */
    function supersedeWithConsent(
        DeclarationRef calldata predecessor,
        DeclarationRef calldata successor,
        bytes calldata signature
    ) external;

    /// @dev Returns the EIP-712 digest a member signs to consent to superseding `predecessor` by `successor`.
    function hashSupersession(bytes32 predecessor, bytes32 successor) external view returns (bytes32);

    /// @dev Returns the batch anchored under `root` (zero batch when unknown).
    function batchOf(bytes32 root) external view returns (Batch memory);

    /**
     * @dev Returns the status of `leaf` inside batch `root`.
     *
     * Requirements: `root` anchored ({TanjiUnknownRoot}); `proof` valid ({TanjiLeafNotInBatch}).
     */
    function statusOf(bytes32 root, bytes32 leaf, bytes32[] calldata proof)
        external
        view
        returns (Batch memory batch, LeafStatus memory status);

    /// @dev Returns the recorded status changes of `leaves` in one call (Unknown means "no change recorded").
    function leafStatuses(bytes32[] calldata leaves) external view returns (LeafStatus[] memory);

    /// @dev Returns how many leaves have had their status changed (revoked or superseded), ever.
    function changedLeafCount() external view returns (uint256);

    /**
     * @dev Returns up to `count` changed leaves from position `start` of the append-only change log, with their
     * statuses, so a verifier reads every status change once instead of one call per declaration.
     * @return leaves The changed leaves, in order of change.
     * @return statuses Their recorded statuses.
     */
    function changedLeaves(uint256 start, uint256 count)
        external
        view
        returns (bytes32[] memory leaves, LeafStatus[] memory statuses);

    /// @dev Returns the Merkle leaf of declaration `digest` by `declarant`.
    function declarationLeaf(bytes32 digest, address declarant) external pure returns (bytes32);

    /// @dev Returns the EIP-712 digest a declarant signs for `d` on this chain and contract.
    function hashSignedDeclaration(SignedDeclaration calldata d) external view returns (bytes32);
}
