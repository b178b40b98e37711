import { expect } from "chai";
import { network } from "hardhat";
import { anchorDeclarations, deployTanji, orgId } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const org = (handle) => orgId(ethers, handle);
const DIGEST = ethers.id("declaration digest");
const SUCCESSOR = ethers.id("successor declaration");
const REPORT = ethers.id("verification report");
const SERIAL = ethers.id("CN-CL-2026-000001");
const PRODUCT = ethers.id("urn:tanji:product:cell-280Ah");
const TERMS = ethers.id("label terms (RFC 8785 canonical JSON)");
const grade = (text) => ethers.zeroPadBytes(ethers.toUtf8Bytes(text), 16);
const STATUS = {
  Valid: 1n,
  NotYetValid: 2n,
  Expired: 3n,
  Suspended: 4n,
  Revoked: 5n,
  DeclarationRevoked: 6n,
  DeclarationSuperseded: 7n,
  AttestationWithdrawn: 8n,
};

/** Anchors DIGEST and SUCCESSOR of "acme"; "audit" attests DIGEST (0 verified) and rejects it (1). */
async function attested() {
  const base = await deployTanji(ethers);
  const { refs } = await anchorDeclarations(ethers, base.ledger, [
    [DIGEST, base.supplier.address],
    [SUCCESSOR, base.supplier.address],
  ]);
  const [ref, successor] = refs;
  await base.attestations.connect(base.auditor).attest(ref, 1, 2, REPORT);
  await base.attestations.connect(base.auditor).attest(ref, 3, 2, REPORT);
  const now = BigInt(await networkHelpers.time.latest());
  return { ...base, ref, successor, now };
}

/** As {attested}, with label SERIAL issued on DIGEST and attestation 0, valid for a day. */
async function issued() {
  const base = await attested();
  await base.labels
    .connect(base.certifier)
    .issueLabel(SERIAL, PRODUCT, base.ref, grade("A+"), base.now - 10n, base.now + 86400n, 0, TERMS);
  return base;
}

describe("TanjiLabels", function () {
  it("a certifier issues a label on an anchored, attested declaration; it is valid inside its window", async function () {
    const { labels, ledger, certifier, supplier, ref, now } = await networkHelpers.loadFixture(attested);
    await expect(labels.connect(certifier).issueLabel(SERIAL, PRODUCT, ref, grade("A+"), now, now + 1000n, 0, TERMS))
      .to.emit(labels, "LabelIssued")
      .withArgs(SERIAL, org("cert"), PRODUCT, DIGEST, grade("A+"), now, now + 1000n, TERMS);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.Valid);
    const label = await labels.labelOf(SERIAL);
    expect([label.issuerOrg, label.grade, label.state, label.declarant, label.attestationIndex]).to.deep.equal([
      org("cert"),
      grade("A+"),
      1n,
      supplier.address,
      0n,
    ]);
    expect(label.declarationLeaf).to.equal(await ledger.declarationLeaf(DIGEST, supplier.address));
    expect(label.termsHash).to.equal(TERMS);
  });

  it("pages the labels of a declaration and counts them", async function () {
    const { labels, certifier, ref, now } = await networkHelpers.loadFixture(attested);
    const serials = ["CN-1", "CN-2", "CN-3"].map((s) => ethers.id(s));
    for (const serial of serials) {
      await labels.connect(certifier).issueLabel(serial, PRODUCT, ref, grade("B"), now, now + 100n, 0, TERMS);
    }
    expect(await labels.labelCount(DIGEST)).to.equal(3n);
    expect(await labels.labelsOf(DIGEST, 0, 2)).to.deep.equal(serials.slice(0, 2));
    expect(await labels.labelsOf(DIGEST, 2, 10)).to.deep.equal(serials.slice(2));
    expect(await labels.labelsOf(DIGEST, 3, 10)).to.deep.equal([]);
    expect(await labels.labelsOf(PRODUCT, 0, 10)).to.deep.equal([]);
  });

  it("a certification body cannot label an unanchored declaration", async function () {
    const { ledger, labels, certifier, supplier, ref, now } = await networkHelpers.loadFixture(attested);
    const ghost = ethers.id("forged root");
    await expect(labels.connect(certifier).issueLabel(SERIAL, PRODUCT, { ...ref, root: ghost }, grade("A"), now, now + 9n, 0, TERMS))
      .to.be.revertedWithCustomError(ledger, "TanjiUnknownRoot")
      .withArgs(ghost);
    const stranger = ethers.id("never declared");
    const forged = { ...ref, digest: stranger };
    await expect(labels.connect(certifier).issueLabel(SERIAL, PRODUCT, forged, grade("A"), now, now + 9n, 0, TERMS))
      .to.be.revertedWithCustomError(ledger, "TanjiLeafNotInBatch")
      .withArgs(ref.root, await ledger.declarationLeaf(stranger, supplier.address));
  });

  it("a certification body cannot label a revoked or superseded declaration", async function () {
    const { ledger, labels, certifier, supplier, regulator, ref, successor, now } =
      await networkHelpers.loadFixture(attested);
    const snapshot = await networkHelpers.takeSnapshot();
    await ledger.connect(supplier).revokeDeclaration(ref.root, DIGEST, ref.declarant, ref.proof, 1);
    await expect(labels.connect(certifier).issueLabel(SERIAL, PRODUCT, ref, grade("A"), now, now + 9n, 0, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiDeclarationNotCurrent")
      .withArgs(DIGEST, 2);
    await snapshot.restore();
    await ledger.connect(regulator).supersedeDeclaration(ref.root, DIGEST, ref.declarant, ref.proof, successor.digest);
    await expect(labels.connect(certifier).issueLabel(SERIAL, PRODUCT, ref, grade("A"), now, now + 9n, 0, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiDeclarationNotCurrent")
      .withArgs(DIGEST, 3);
  });

  it("a label cannot rest on a rejected, withdrawn, missing or foreign attestation", async function () {
    const { ledger, attestations, labels, certifier, auditor, supplier, leader, ref, now } =
      await networkHelpers.loadFixture(attested);
    const c = labels.connect(certifier);
    await expect(c.issueLabel(SERIAL, PRODUCT, ref, grade("A"), now, now + 9n, 1, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiAttestationNotPositive")
      .withArgs(DIGEST, 1, 3);
    await expect(c.issueLabel(SERIAL, PRODUCT, ref, grade("A"), now, now + 9n, 7, TERMS))
      .to.be.revertedWithCustomError(attestations, "TanjiUnknownAttestation")
      .withArgs(DIGEST, 7);
    // the same digest anchored under another declarant: its attestation does not back acme's declaration
    const { refs } = await anchorDeclarations(ethers, ledger, [[DIGEST, leader.address]]);
    await attestations.connect(auditor).attest(refs[0], 1, 1, REPORT);
    await expect(c.issueLabel(SERIAL, PRODUCT, ref, grade("A"), now, now + 9n, 2, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiAttestationOfAnotherDeclarant")
      .withArgs(DIGEST, 2, leader.address, supplier.address);
    const withdrawal = await (await attestations.connect(auditor).withdrawAttestation(DIGEST, 0, 3)).wait();
    await expect(c.issueLabel(SERIAL, PRODUCT, ref, grade("A"), now, now + 9n, 0, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiAttestationWithdrawn")
      .withArgs(DIGEST, 0, withdrawal.blockNumber);
  });

  it("a certification body cannot label its own organization's declaration", async function () {
    const { ledger, labels, supplier, roles, ref, now } = await networkHelpers.loadFixture(attested);
    await ledger.grantMemberRole(org("acme"), roles.CERTIFIER);
    await expect(labels.connect(supplier).issueLabel(SERIAL, PRODUCT, ref, grade("A"), now, now + 9n, 0, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiSelfCertification")
      .withArgs(org("acme"), supplier.address);
  });

  it("a declaration anchored while its organization was suspended cannot be labelled", async function () {
    const { ledger, labels, certifier, supplier, regulator, now } = await networkHelpers.loadFixture(attested);
    await ledger.connect(regulator).suspendMember(org("acme"), ethers.ZeroHash);
    const { refs, receipt } = await anchorDeclarations(ethers, ledger, [[ethers.id("late"), supplier.address]]);
    await ledger.connect(regulator).reinstateMember(org("acme"));
    await expect(labels.connect(certifier).issueLabel(SERIAL, PRODUCT, refs[0], grade("A"), now, now + 9n, 0, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiDeclarantInactiveAtAnchoring")
      .withArgs(supplier.address, receipt.blockNumber);
  });

  it("a label reads DeclarationRevoked as soon as its declaration is revoked", async function () {
    const { ledger, labels, supplier, ref } = await networkHelpers.loadFixture(issued);
    await ledger.connect(supplier).revokeDeclaration(ref.root, DIGEST, ref.declarant, ref.proof, 3);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.DeclarationRevoked);
  });

  it("a label reads DeclarationSuperseded as soon as its declaration is superseded", async function () {
    const { ledger, labels, supplier, ref, successor } = await networkHelpers.loadFixture(issued);
    await ledger.connect(supplier).supersedeDeclaration(ref.root, DIGEST, ref.declarant, ref.proof, successor.digest);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.DeclarationSuperseded);
  });

  it("a label reads AttestationWithdrawn as soon as its attestation is withdrawn, even while suspended", async function () {
    const { attestations, labels, certifier, regulator } = await networkHelpers.loadFixture(issued);
    await labels.connect(certifier).suspendLabel(SERIAL, 1);
    await attestations.connect(regulator).withdrawAttestation(DIGEST, 0, 6);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.AttestationWithdrawn);
    await labels.connect(certifier).revokeLabel(SERIAL, 1);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.Revoked);
  });

  it("reports not-yet-valid and expired labels from block time", async function () {
    const { labels, certifier, ref, now } = await networkHelpers.loadFixture(attested);
    await labels.connect(certifier).issueLabel(SERIAL, PRODUCT, ref, grade("B"), now + 100n, now + 200n, 0, TERMS);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.NotYetValid);
    await networkHelpers.time.increaseTo(now + 250n);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.Expired);
  });

  it("suspends, reinstates and revokes; a regulator may revoke", async function () {
    const { labels, certifier, regulator } = await networkHelpers.loadFixture(issued);
    await expect(labels.connect(certifier).suspendLabel(SERIAL, 1)).to.emit(labels, "LabelSuspended").withArgs(SERIAL, 1, certifier.address);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.Suspended);
    await expect(labels.connect(certifier).suspendLabel(SERIAL, 1))
      .to.be.revertedWithCustomError(labels, "TanjiLabelStateConflict")
      .withArgs(SERIAL, 2);
    await expect(labels.connect(certifier).reinstateLabel(SERIAL)).to.emit(labels, "LabelReinstated").withArgs(SERIAL, certifier.address);
    await expect(labels.connect(certifier).reinstateLabel(SERIAL))
      .to.be.revertedWithCustomError(labels, "TanjiLabelStateConflict")
      .withArgs(SERIAL, 1);
    await expect(labels.connect(regulator).revokeLabel(SERIAL, 6)).to.emit(labels, "LabelRevoked").withArgs(SERIAL, 6, regulator.address);
    expect(await labels.labelStatus(SERIAL)).to.equal(STATUS.Revoked);
    await expect(labels.connect(regulator).revokeLabel(SERIAL, 6))
      .to.be.revertedWithCustomError(labels, "TanjiLabelStateConflict")
      .withArgs(SERIAL, 3);
  });

  it("only the issuing certification body may suspend or reinstate", async function () {
    const { ledger, labels, supplier, outsider, roles } = await networkHelpers.loadFixture(issued);
    await ledger.registerMember(org("cert2"), "cert2", outsider.address, [roles.CERTIFIER]);
    await expect(labels.connect(outsider).suspendLabel(SERIAL, 1))
      .to.be.revertedWithCustomError(labels, "TanjiNotLabelIssuer")
      .withArgs(outsider.address, SERIAL);
    await expect(labels.connect(supplier).revokeLabel(SERIAL, 1))
      .to.be.revertedWithCustomError(ledger, "TanjiMissingRole")
      .withArgs(supplier.address, org("acme"), roles.CERTIFIER);
  });

  it("rejects duplicate, zero, incomplete (no terms hash included), empty-window and unknown labels and bad reasons", async function () {
    const { labels, certifier, ref, now } = await networkHelpers.loadFixture(issued);
    const c = labels.connect(certifier);
    await expect(c.issueLabel(SERIAL, PRODUCT, ref, grade("A"), now, now + 1n, 0, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiLabelAlreadyIssued")
      .withArgs(SERIAL);
    await expect(c.issueLabel(ethers.ZeroHash, PRODUCT, ref, grade("A"), now, now + 1n, 0, TERMS)).to.be.revertedWithCustomError(
      labels,
      "TanjiZeroSerial",
    );
    const other = ethers.id("other");
    await expect(c.issueLabel(other, ethers.ZeroHash, ref, grade("A"), now, now + 1n, 0, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiIncompleteLabel")
      .withArgs(other);
    await expect(c.issueLabel(other, PRODUCT, ref, grade("A"), now, now + 1n, 0, ethers.ZeroHash))
      .to.be.revertedWithCustomError(labels, "TanjiIncompleteLabel")
      .withArgs(other);
    await expect(c.issueLabel(other, PRODUCT, ref, grade("A"), now, now, 0, TERMS))
      .to.be.revertedWithCustomError(labels, "TanjiInvalidValidity")
      .withArgs(now, now);
    await expect(c.suspendLabel(other, 1)).to.be.revertedWithCustomError(labels, "TanjiUnknownLabel").withArgs(other);
    await expect(c.suspendLabel(SERIAL, 9)).to.be.revertedWithCustomError(labels, "TanjiInvalidReasonCode").withArgs(9);
    expect(await labels.labelStatus(other)).to.equal(0n);
  });

  it("a label registry cannot be bound to an attestation registry of another ledger", async function () {
    const { ledger, operator } = await networkHelpers.loadFixture(attested);
    const forgedLedger = await ethers.deployContract("TanjiLedger", [org("forger"), "forger"], operator);
    const forgedAttestations = await ethers.deployContract("TanjiAttestations", [await forgedLedger.getAddress()]);
    const factory = await ethers.getContractFactory("TanjiLabels");
    await expect(ethers.deployContract("TanjiLabels", [await ledger.getAddress(), await forgedAttestations.getAddress()]))
      .to.be.revertedWithCustomError(factory, "TanjiForeignAttestationRegistry")
      .withArgs(await forgedAttestations.getAddress(), await ledger.getAddress());
  });
});
