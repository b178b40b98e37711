// Regenerates merkle_standard_tree.json with OpenZeppelin's own StandardMerkleTree (run: node tests/vectors/generate_merkle_standard_tree.mjs).
// The Python tests rebuild the same trees with ledger.merkle and must get identical roots and proofs.
import { StandardMerkleTree } from "@openzeppelin/merkle-tree";
import { keccak256, toUtf8Bytes, id } from "ethers";
import { writeFileSync } from "node:fs";

const tag = id("tanji.leaf.declaration.v1");
const declarants = ["0x1111111111111111111111111111111111111111", "0x00000000000000000000000000000000000000aA"];
const cases = [1, 2, 3, 7, 16, 33].map((size) => {
  const values = Array.from({ length: size }, (_, i) => [tag, keccak256(toUtf8Bytes(`vector-${size}-${i}`)), declarants[i % 2]]);
  const tree = StandardMerkleTree.of(values, ["bytes32", "bytes32", "address"]);
  return {
    size,
    values,
    root: tree.root,
    leaves: values.map((v) => tree.leafHash(v)),
    proofs: values.map((_, i) => tree.getProof(i)),
  };
});
writeFileSync(new URL("./merkle_standard_tree.json", import.meta.url), JSON.stringify({ tag, cases }, null, 1) + "\n");
