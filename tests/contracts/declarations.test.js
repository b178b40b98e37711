import { expect } from "chai";
import { network } from "hardhat";
import { readFileSync } from "node:fs";
import { declarationTree, deployTanji, LEAF_TAG, orgId } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const fixture = () => deployTanji(ethers);
const org = (handle) => orgId(ethers, handle);
const vectors = JSON.parse(readFileSync(new URL("../vectors/declaration_eip712.json", import.meta.url), "utf8"));

function batchOf(declarant, count) {
  const entries = Array.from({ length: count }, (_, i) => [ethers.id(`declaration-${i}`), declarant]);
  return { entries, tree: declarationTree(ethers, entries) };
}

function vectorMessage(vector) {
  const m = vector.typedData.message;
  return { ...m, nonce: BigInt(m.nonce) };
}

describe("TanjiLedger declarations", function () {
  describe("anchorBatch", function () {
    it("anchors a root once and records block, leaf count and anchorer", async function () {
      const { ledger, operator, supplier } = await networkHelpers.loadFixture(fixture);
      const { tree } = batchOf(supplier.address, 5);
      const tx = await ledger.anchorBatch(tree.root, 5, "tanji:batch/1");
      await expect(tx).to.emit(ledger, "BatchAnchored").withArgs(tree.root, "tanji:batch/1");
      const batch = await ledger.batchOf(tree.root);
      expect([batch.anchoredAtBlock, batch.leafCount, batch.anchorer]).to.deep.equal([
        BigInt((await tx.wait()).blockNumber),
        5n,
        operator.address,
      ]);
    });

    it("anchoring the same root twice reverts with TanjiRootAlreadyAnchored", async function () {
      const { ledger, supplier } = await networkHelpers.loadFixture(fixture);
      const { tree } = batchOf(supplier.address, 3);
      const first = await (await ledger.anchorBatch(tree.root, 3, "")).wait();
      await expect(ledger.anchorBatch(tree.root, 3, ""))
        .to.be.revertedWithCustomError(ledger, "TanjiRootAlreadyAnchored")
        .withArgs(tree.root, first.blockNumber);
    });

    it("rejects a zero root and a zero leaf count", async function () {
      const { ledger } = await networkHelpers.loadFixture(fixture);
      await expect(ledger.anchorBatch(ethers.ZeroHash, 1, "")).to.be.revertedWithCustomError(ledger, "TanjiZeroRoot");
      const root = ethers.id("root");
      await expect(ledger.anchorBatch(root, 0, ""))
        .to.be.revertedWithCustomError(ledger, "TanjiZeroLeafCount")
        .withArgs(root);
    });

    it("non-anchorer, outsider and suspended anchorer cannot anchor", async function () {
      const { ledger, operator, supplier, outsider, regulator, roles } = await networkHelpers.loadFixture(fixture);
      const root = ethers.id("root");
      await expect(ledger.connect(supplier).anchorBatch(root, 1, ""))
        .to.be.revertedWithCustomError(ledger, "TanjiMissingRole")
        .withArgs(supplier.address, org("acme"), roles.ANCHORER);
      await expect(ledger.connect(outsider).anchorBatch(root, 1, ""))
        .to.be.revertedWithCustomError(ledger, "TanjiNotMember")
        .withArgs(outsider.address);
      await ledger.registerMember(org("svc"), "svc", outsider.address, [roles.ANCHORER]);
      await ledger.connect(regulator).suspendMember(org("svc"), ethers.ZeroHash);
      await expect(ledger.connect(outsider).anchorBatch(root, 1, ""))
        .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
        .withArgs(org("svc"));
      expect((await ledger.batchOf(root)).anchoredAtBlock).to.equal(0n);
      expect(operator.address).to.not.equal(outsider.address);
    });

    it("a retired anchorer key cannot anchor", async function () {
      const { ledger, operator, spare } = await networkHelpers.loadFixture(fixture);
      await ledger.addKey(org("operator"), spare.address);
      const tx = await ledger.connect(spare).retireKey(org("operator"), operator.address);
      const retiredAt = (await tx.wait()).blockNumber;
      await expect(ledger.anchorBatch(ethers.id("r"), 1, ""))
        .to.be.revertedWithCustomError(ledger, "TanjiKeyRetired")
        .withArgs(operator.address, retiredAt);
    });

    it("uses a leaf and proof format that OpenZeppelin's StandardMerkleTree and MerkleProof agree on", async function () {
      const { ledger, supplier } = await networkHelpers.loadFixture(fixture);
      const { entries, tree } = batchOf(supplier.address, 9);
      await ledger.anchorBatch(tree.root, 9, "");
      for (const [i, [digest, declarant]] of entries.entries()) {
        const leaf = await ledger.declarationLeaf(digest, declarant);
        expect(leaf).to.equal(tree.leafHash([LEAF_TAG(ethers), digest, declarant]));
        const [, status] = await ledger.statusOf(tree.root, leaf, tree.getProof(i));
        expect(status.status).to.equal(1n);
      }
    });
  });

  describe("per-leaf status", function () {
    async function anchored() {
      const base = await deployTanji(ethers);
      const { entries, tree } = batchOf(base.supplier.address, 4);
      await base.ledger.anchorBatch(tree.root, 4, "");
      return { ...base, entries, tree };
    }

    it("the declaring organization revokes one leaf with a reason code", async function () {
      const { ledger, supplier, entries, tree } = await networkHelpers.loadFixture(anchored);
      const [digest] = entries[1];
      const leaf = await ledger.declarationLeaf(digest, supplier.address);
      const tx = ledger.connect(supplier).revokeDeclaration(tree.root, digest, supplier.address, tree.getProof(1), 3);
      await expect(tx).to.emit(ledger, "DeclarationRevoked").withArgs(leaf, digest, 3, supplier.address);
      const [, status] = await ledger.statusOf(tree.root, leaf, tree.getProof(1));
      expect([status.status, status.reason, status.changedBy]).to.deep.equal([2n, 3n, supplier.address]);
      const other = await ledger.declarationLeaf(entries[2][0], supplier.address);
      expect((await ledger.statusOf(tree.root, other, tree.getProof(2)))[1].status).to.equal(1n);
      await expect(ledger.connect(supplier).revokeDeclaration(tree.root, digest, supplier.address, tree.getProof(1), 3))
        .to.be.revertedWithCustomError(ledger, "TanjiDeclarationFinal")
        .withArgs(leaf, 2);
    });

    it("a new key of the declaring organization and the regulator may change status; others may not", async function () {
      const { ledger, supplier, regulator, auditor, spare, entries, tree } = await networkHelpers.loadFixture(anchored);
      await ledger.connect(supplier).addKey(org("acme"), spare.address);
      await ledger.connect(spare).retireKey(org("acme"), supplier.address);
      const leaf0 = await ledger.declarationLeaf(entries[0][0], supplier.address);
      await expect(
        ledger.connect(spare).supersedeDeclaration(tree.root, entries[0][0], supplier.address, tree.getProof(0), ethers.id("v2")),
      )
        .to.emit(ledger, "DeclarationSuperseded")
        .withArgs(leaf0, entries[0][0], ethers.id("v2"), spare.address);
      await expect(ledger.connect(regulator).revokeDeclaration(tree.root, entries[1][0], supplier.address, tree.getProof(1), 6))
        .to.emit(ledger, "DeclarationRevoked");
      await expect(ledger.connect(auditor).revokeDeclaration(tree.root, entries[2][0], supplier.address, tree.getProof(2), 1))
        .to.be.revertedWithCustomError(ledger, "TanjiNotDeclarantOrRegulator")
        .withArgs(auditor.address, supplier.address);
    });

    it("rejects an unknown leaf, a mismatched proof, an unknown root, bad reasons and bad successors", async function () {
      const { ledger, supplier, entries, tree } = await networkHelpers.loadFixture(anchored);
      const stranger = ethers.id("never anchored");
      const strangerLeaf = await ledger.declarationLeaf(stranger, supplier.address);
      await expect(ledger.connect(supplier).revokeDeclaration(tree.root, stranger, supplier.address, tree.getProof(0), 1))
        .to.be.revertedWithCustomError(ledger, "TanjiLeafNotInBatch")
        .withArgs(tree.root, strangerLeaf);
      const leaf0 = await ledger.declarationLeaf(entries[0][0], supplier.address);
      await expect(ledger.statusOf(tree.root, leaf0, tree.getProof(1)))
        .to.be.revertedWithCustomError(ledger, "TanjiLeafNotInBatch")
        .withArgs(tree.root, leaf0);
      const ghost = ethers.id("ghost root");
      await expect(ledger.statusOf(ghost, leaf0, []))
        .to.be.revertedWithCustomError(ledger, "TanjiUnknownRoot")
        .withArgs(ghost);
      for (const reason of [0, 7]) {
        await expect(ledger.connect(supplier).revokeDeclaration(tree.root, entries[0][0], supplier.address, tree.getProof(0), reason))
          .to.be.revertedWithCustomError(ledger, "TanjiInvalidReasonCode")
          .withArgs(reason);
      }
      for (const successor of [ethers.ZeroHash, entries[0][0]]) {
        await expect(
          ledger.connect(supplier).supersedeDeclaration(tree.root, entries[0][0], supplier.address, tree.getProof(0), successor),
        )
          .to.be.revertedWithCustomError(ledger, "TanjiInvalidSuccessor")
          .withArgs(successor);
      }
    });

    it("keeps an append-only log of changed leaves, paged", async function () {
      const { ledger, supplier, regulator, entries, tree } = await networkHelpers.loadFixture(anchored);
      expect(await ledger.changedLeafCount()).to.equal(0n);
      await ledger.connect(supplier).revokeDeclaration(tree.root, entries[2][0], supplier.address, tree.getProof(2), 1);
      await ledger.connect(regulator).supersedeDeclaration(tree.root, entries[0][0], supplier.address, tree.getProof(0), ethers.id("v2"));
      expect(await ledger.changedLeafCount()).to.equal(2n);
      const [leaves, statuses] = await ledger.changedLeaves(0, 10);
      const expected = await Promise.all([2, 0].map((i) => ledger.declarationLeaf(entries[i][0], supplier.address)));
      expect(leaves).to.deep.equal(expected);
      expect(statuses.map((s) => s.status)).to.deep.equal([2n, 3n]);
      const [page] = await ledger.changedLeaves(1, 1);
      expect(page).to.deep.equal([expected[1]]);
      const [beyond, none] = await ledger.changedLeaves(5, 3);
      expect([beyond.length, none.length]).to.deep.equal([0, 0]);
    });

    it("reports recorded status changes for many leaves in one call", async function () {
      const { ledger, supplier, entries, tree } = await networkHelpers.loadFixture(anchored);
      await ledger.connect(supplier).revokeDeclaration(tree.root, entries[3][0], supplier.address, tree.getProof(3), 5);
      const leaves = await Promise.all(entries.map(([d]) => ledger.declarationLeaf(d, supplier.address)));
      const statuses = await ledger.leafStatuses(leaves);
      expect(statuses.map((s) => s.status)).to.deep.equal([0n, 0n, 0n, 2n]);
    });
  });

  describe("anchorSigned (EIP-712)", function () {
    // Deploys a ledger as the first transaction of the vectors' deployer key, so its address is the vectors'
    // verifyingContract; that deployer is the ledger's operator (admin + anchorer).
    async function withVectorSigner() {
      const base = await deployTanji(ethers);
      const deployer = new ethers.Wallet(vectors.ledgerDeployerKey, ethers.provider);
      await base.operator.sendTransaction({ to: deployer.address, value: ethers.parseEther("10") });
      const ledger = await ethers.deployContract("TanjiLedger", [org("operator"), "operator"], deployer);
      const vector = vectors.cases[0];
      expect(await ledger.getAddress()).to.equal(vector.typedData.domain.verifyingContract);
      await ledger.registerMember(org("reg"), "reg", base.regulator.address, [base.roles.REGULATOR]);
      await ledger.registerMember(org("vector"), "vector", vector.expectedSigner, [base.roles.SUPPLIER]);
      return { ...base, ledger, operator: deployer, vector };
    }

    it("every shared vector hashes and recovers identically in ethers", async function () {
      for (const vector of vectors.cases) {
        const { domain, types, message } = vector.typedData;
        const { EIP712Domain, ...structTypes } = types;
        expect(EIP712Domain).to.have.length(4);
        expect(ethers.TypedDataEncoder.hash(domain, structTypes, message), vector.name).to.equal(vector.expectedHash);
        const wallet = new ethers.Wallet(vector.privateKey);
        expect(await wallet.signTypedData(domain, structTypes, message)).to.equal(vector.expectedSignature);
        expect(ethers.verifyTypedData(domain, structTypes, message, vector.expectedSignature)).to.equal(vector.expectedSigner);
      }
    });

    it("the contract computes the vector's digest and anchors the signed declaration", async function () {
      const { ledger, operator, vector } = await networkHelpers.loadFixture(withVectorSigner);
      const message = vectorMessage(vector);
      expect(await ledger.hashSignedDeclaration(message)).to.equal(vector.expectedHash);
      const leaf = await ledger.declarationLeaf(message.digest, message.declarant);
      const tx = ledger.connect(operator).anchorSigned(message, vector.expectedSignature);
      await expect(tx).to.emit(ledger, "DeclarationAnchored").withArgs(message.digest, message.declarant, leaf, 0);
      await expect(tx).to.emit(ledger, "BatchAnchored").withArgs(leaf, "");
      expect((await ledger.statusOf(leaf, leaf, []))[1].status).to.equal(1n);
      expect(await ledger.nonces(message.declarant)).to.equal(1n);
    });

    it("a replayed signature reverts with InvalidAccountNonce", async function () {
      const { ledger, vector } = await networkHelpers.loadFixture(withVectorSigner);
      const message = vectorMessage(vector);
      await ledger.anchorSigned(message, vector.expectedSignature);
      await expect(ledger.anchorSigned(message, vector.expectedSignature))
        .to.be.revertedWithCustomError(ledger, "InvalidAccountNonce")
        .withArgs(message.declarant, 1);
    });

    it("a signature for another chain id or another contract recovers to someone else", async function () {
      const { ledger, vector } = await networkHelpers.loadFixture(withVectorSigner);
      const message = vectorMessage(vector);
      const { EIP712Domain, ...types } = vector.typedData.types;
      const wallet = new ethers.Wallet(vector.privateKey);
      for (const domain of [
        { ...vector.typedData.domain, chainId: 1 },
        { ...vector.typedData.domain, verifyingContract: ethers.Wallet.createRandom().address },
      ]) {
        const signature = await wallet.signTypedData(domain, types, vector.typedData.message);
        const recovered = ethers.recoverAddress(await ledger.hashSignedDeclaration(message), signature);
        await expect(ledger.anchorSigned(message, signature))
          .to.be.revertedWithCustomError(ledger, "TanjiInvalidSignature")
          .withArgs(message.declarant, recovered);
      }
      expect(EIP712Domain).to.have.length(4);
    });

    it("a malformed signature reverts with OpenZeppelin's ECDSA error", async function () {
      const { ledger, vector } = await networkHelpers.loadFixture(withVectorSigner);
      const message = vectorMessage(vector);
      await expect(ledger.anchorSigned(message, "0x1234"))
        .to.be.revertedWithCustomError(ledger, "ECDSAInvalidSignatureLength")
        .withArgs(2);
      expect(await ledger.nonces(message.declarant)).to.equal(0n);
    });

    it("requires an active supplier declarant, a relayer role, a non-zero digest and a valid window", async function () {
      const { ledger, vector, outsider, regulator, roles } = await networkHelpers.loadFixture(withVectorSigner);
      const message = vectorMessage(vector);
      await expect(ledger.connect(outsider).anchorSigned(message, vector.expectedSignature))
        .to.be.revertedWithCustomError(ledger, "TanjiNotMember")
        .withArgs(outsider.address);
      await ledger.connect(regulator).suspendMember(org("vector"), ethers.ZeroHash);
      await expect(ledger.anchorSigned(message, vector.expectedSignature))
        .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
        .withArgs(org("vector"));
      await expect(ledger.anchorSigned({ ...message, digest: ethers.ZeroHash }, vector.expectedSignature)).to.be.revertedWithCustomError(
        ledger,
        "TanjiZeroDigest",
      );
      await expect(ledger.anchorSigned({ ...message, validFrom: 10n, validUntil: 5n }, vector.expectedSignature))
        .to.be.revertedWithCustomError(ledger, "TanjiInvalidValidity")
        .withArgs(10, 5);
      expect(roles.SUPPLIER).to.equal(ethers.id("SUPPLIER_ROLE"));
    });
  });
});
