import { expect } from "chai";
import { network } from "hardhat";
import { anchorDeclarations, deployTanji, ledgerDomain, orgId, signSupersession, SUPERSESSION_TYPES } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const org = (handle) => orgId(ethers, handle);
const V1 = ethers.id("declaration v1");
const V2 = ethers.id("declaration v2");
const V3 = ethers.id("declaration v3");

/** Anchors v1, v2, v3 of "acme" and one declaration of "leader"; `pred`/`next` are v1/v2 refs. */
async function anchored() {
  const base = await deployTanji(ethers);
  const { supplier, leader } = base;
  const { refs } = await anchorDeclarations(ethers, base.ledger, [
    [V1, supplier.address],
    [V2, supplier.address],
    [V3, supplier.address],
    [ethers.id("leader's"), leader.address],
  ]);
  const [pred, next, third, foreign] = refs;
  return { ...base, pred, next, third, foreign };
}

describe("TanjiLedger consented supersession", function () {
  it("the contract and ethers agree on the Supersession EIP-712 digest", async function () {
    const { ledger } = await networkHelpers.loadFixture(anchored);
    const expected = ethers.TypedDataEncoder.hash(await ledgerDomain(ethers, ledger), SUPERSESSION_TYPES, {
      predecessor: V1,
      successor: V2,
    });
    expect(await ledger.hashSupersession(V1, V2)).to.equal(expected);
    expect(await ledger.SUPERSESSION_TYPEHASH()).to.equal(ethers.id("Supersession(bytes32 predecessor,bytes32 successor)"));
  });

  it("anyone may relay a member-signed supersession, and the member's key is recorded as the author", async function () {
    const { ledger, supplier, outsider, pred, next } = await networkHelpers.loadFixture(anchored);
    const signature = await signSupersession(ethers, ledger, supplier, V1, V2);
    const leaf = await ledger.declarationLeaf(V1, supplier.address);
    await expect(ledger.connect(outsider).supersedeWithConsent(pred, next, signature))
      .to.emit(ledger, "DeclarationSuperseded")
      .withArgs(leaf, V1, V2, supplier.address);
    const [, status] = await ledger.statusOf(pred.root, leaf, pred.proof);
    expect([status.status, status.successor, status.changedBy]).to.deep.equal([3n, V2, supplier.address]);
  });

  it("a replayed supersession is refused: the predecessor's status is final", async function () {
    const { ledger, supplier, pred, next } = await networkHelpers.loadFixture(anchored);
    const signature = await signSupersession(ethers, ledger, supplier, V1, V2);
    await ledger.supersedeWithConsent(pred, next, signature);
    await expect(ledger.supersedeWithConsent(pred, next, signature))
      .to.be.revertedWithCustomError(ledger, "TanjiDeclarationFinal")
      .withArgs(await ledger.declarationLeaf(V1, supplier.address), 3);
  });

  it("the operator cannot supersede a member's declaration by signing the consent itself", async function () {
    const { ledger, operator, pred, next } = await networkHelpers.loadFixture(anchored);
    const signature = await signSupersession(ethers, ledger, operator, V1, V2);
    await expect(ledger.supersedeWithConsent(pred, next, signature))
      .to.be.revertedWithCustomError(ledger, "TanjiSupersessionNotConsented")
      .withArgs(operator.address, org("acme"));
  });

  it("a consent signed for another ledger does not count here", async function () {
    const { ledger, supplier, pred, next } = await networkHelpers.loadFixture(anchored);
    const domain = { ...(await ledgerDomain(ethers, ledger)), verifyingContract: ethers.Wallet.createRandom().address };
    const signature = await supplier.signTypedData(domain, SUPERSESSION_TYPES, { predecessor: V1, successor: V2 });
    const recovered = ethers.recoverAddress(await ledger.hashSupersession(V1, V2), signature);
    await expect(ledger.supersedeWithConsent(pred, next, signature))
      .to.be.revertedWithCustomError(ledger, "TanjiSupersessionNotConsented")
      .withArgs(recovered, org("acme"));
  });

  it("a member cannot supersede its declaration by another organization's declaration, nor another's by its own", async function () {
    const { ledger, supplier, leader, pred, foreign } = await networkHelpers.loadFixture(anchored);
    const own = await signSupersession(ethers, ledger, supplier, V1, foreign.digest);
    await expect(ledger.supersedeWithConsent(pred, foreign, own))
      .to.be.revertedWithCustomError(ledger, "TanjiSuccessorFromAnotherMember")
      .withArgs(org("acme"), leader.address);
    const theirs = await signSupersession(ethers, ledger, leader, foreign.digest, V1);
    await expect(ledger.supersedeWithConsent(foreign, pred, theirs))
      .to.be.revertedWithCustomError(ledger, "TanjiSuccessorFromAnotherMember")
      .withArgs(org("leader"), supplier.address);
  });

  it("a supersession cannot name an unanchored successor", async function () {
    const { ledger, supplier, pred, next } = await networkHelpers.loadFixture(anchored);
    const ghost = ethers.id("unanchored successor");
    const signature = await signSupersession(ethers, ledger, supplier, V1, ghost);
    await expect(ledger.supersedeWithConsent(pred, { ...next, digest: ghost }, signature))
      .to.be.revertedWithCustomError(ledger, "TanjiLeafNotInBatch")
      .withArgs(next.root, await ledger.declarationLeaf(ghost, supplier.address));
    const ghostRoot = ethers.id("ghost root");
    await expect(ledger.supersedeWithConsent(pred, { ...next, root: ghostRoot }, signature))
      .to.be.revertedWithCustomError(ledger, "TanjiUnknownRoot")
      .withArgs(ghostRoot);
    for (const successor of [ethers.ZeroHash, V1]) {
      await expect(ledger.supersedeWithConsent(pred, { ...next, digest: successor }, signature))
        .to.be.revertedWithCustomError(ledger, "TanjiInvalidSuccessor")
        .withArgs(successor);
    }
  });

  it("a revoked successor cannot supersede anything", async function () {
    const { ledger, supplier, pred, next } = await networkHelpers.loadFixture(anchored);
    await ledger.connect(supplier).revokeDeclaration(next.root, V2, next.declarant, next.proof, 1);
    const signature = await signSupersession(ethers, ledger, supplier, V1, V2);
    await expect(ledger.supersedeWithConsent(pred, next, signature))
      .to.be.revertedWithCustomError(ledger, "TanjiDeclarationFinal")
      .withArgs(await ledger.declarationLeaf(V2, supplier.address), 2);
  });

  it("a consent by a key retired since, or by a suspended member, no longer counts", async function () {
    const { ledger, supplier, regulator, spare, pred, next, third } = await networkHelpers.loadFixture(anchored);
    const signature = await signSupersession(ethers, ledger, supplier, V1, V2);
    await ledger.connect(regulator).suspendMember(org("acme"), ethers.ZeroHash);
    await expect(ledger.supersedeWithConsent(pred, next, signature))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
      .withArgs(org("acme"));
    await ledger.connect(regulator).reinstateMember(org("acme"));
    await ledger.connect(supplier).addKey(org("acme"), spare.address);
    const retiredAt = (await (await ledger.connect(spare).retireKey(org("acme"), supplier.address)).wait()).blockNumber;
    await expect(ledger.supersedeWithConsent(pred, next, signature))
      .to.be.revertedWithCustomError(ledger, "TanjiKeyRetired")
      .withArgs(supplier.address, retiredAt);
    // the organization's new key consents for declarations its retired key made
    const renewed = await signSupersession(ethers, ledger, spare, V1, V3);
    await expect(ledger.supersedeWithConsent(pred, third, renewed))
      .to.emit(ledger, "DeclarationSuperseded")
      .withArgs(await ledger.declarationLeaf(V1, supplier.address), V1, V3, spare.address);
  });
});
