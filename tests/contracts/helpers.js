// Shared fixture and constants for the Hardhat contract tests.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";

export const ROLES = (ethers) => ({
  ADMIN: ethers.ZeroHash,
  SUPPLIER: ethers.id("SUPPLIER_ROLE"),
  CHAIN_LEADER: ethers.id("CHAIN_LEADER_ROLE"),
  AUDITOR: ethers.id("AUDITOR_ROLE"),
  CERTIFIER: ethers.id("CERTIFIER_ROLE"),
  REGULATOR: ethers.id("REGULATOR_ROLE"),
  ANCHORER: ethers.id("ANCHORER_ROLE"),
});

export const orgId = (ethers, handle) => ethers.keccak256(ethers.toUtf8Bytes(handle));

export const LEAF_TAG = (ethers) => ethers.id("tanji.leaf.declaration.v1");

/** Builds a StandardMerkleTree of declaration leaves (tag, digest, declarant). */
export function declarationTree(ethers, entries) {
  return StandardMerkleTree.of(
    entries.map(([digest, declarant]) => [LEAF_TAG(ethers), digest, declarant]),
    ["bytes32", "bytes32", "address"],
  );
}

/**
 * Deploys the ledger (operator = signer 0), attestations and labels, and registers one member per role:
 * supplier "acme" (signer 1), chain leader "leader" (2), auditor "audit" (3), certifier "cert" (4),
 * regulator "reg" (5). Signer 6 and 7 are outsiders.
 */
export async function deployTanji(ethers) {
  const [operator, supplier, leader, auditor, certifier, regulator, outsider, spare] = await ethers.getSigners();
  const roles = ROLES(ethers);
  const ledger = await ethers.deployContract("TanjiLedger", [orgId(ethers, "operator"), "operator"], operator);
  const attestations = await ethers.deployContract("TanjiAttestations", [await ledger.getAddress()], operator);
  const labels = await ethers.deployContract(
    "TanjiLabels",
    [await ledger.getAddress(), await attestations.getAddress()],
    operator,
  );
  const members = [
    ["acme", supplier, [roles.SUPPLIER]],
    ["leader", leader, [roles.CHAIN_LEADER]],
    ["audit", auditor, [roles.AUDITOR]],
    ["cert", certifier, [roles.CERTIFIER]],
    ["reg", regulator, [roles.REGULATOR]],
  ];
  for (const [handle, signer, memberRoles] of members) {
    await ledger.registerMember(orgId(ethers, handle), handle, signer.address, memberRoles);
  }
  return { ledger, attestations, labels, operator, supplier, leader, auditor, certifier, regulator, outsider, spare, roles };
}

/**
 * Anchors one batch of `entries` ([digest, declarant] pairs) and returns the tree and, per entry, the
 * DeclarationRef struct ({root, digest, declarant, proof}) the contracts take.
 */
export async function anchorDeclarations(ethers, ledger, entries) {
  const tree = declarationTree(ethers, entries);
  const receipt = await (await ledger.anchorBatch(tree.root, entries.length, "")).wait();
  const refs = entries.map(([digest, declarant], i) => ({ root: tree.root, digest, declarant, proof: tree.getProof(i) }));
  return { tree, refs, receipt };
}

/** The EIP-712 domain of `ledger` on the current chain. */
export async function ledgerDomain(ethers, ledger) {
  const { chainId } = await ethers.provider.getNetwork();
  return { name: "Tanji", version: "1", chainId, verifyingContract: await ledger.getAddress() };
}

export const SUPERSESSION_TYPES = {
  Supersession: [
    { name: "predecessor", type: "bytes32" },
    { name: "successor", type: "bytes32" },
  ],
};

/** `signer`'s EIP-712 consent to supersede `predecessor` by `successor` (digests) on `ledger`. */
export async function signSupersession(ethers, ledger, signer, predecessor, successor) {
  return signer.signTypedData(await ledgerDomain(ethers, ledger), SUPERSESSION_TYPES, { predecessor, successor });
}
