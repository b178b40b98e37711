import { expect } from "chai";
import { network } from "hardhat";
import { deployTanji, orgId } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const fixture = () => deployTanji(ethers);
const org = (handle) => orgId(ethers, handle);
const DIGEST = ethers.id("declaration digest");
const REPORT = ethers.id("verification report");
const grade = (text) => ethers.zeroPadBytes(ethers.toUtf8Bytes(text), 16);

describe("TanjiAttestations", function () {
  it("an auditor attests a digest with result, assurance and report hash", async function () {
    const { attestations, auditor } = await networkHelpers.loadFixture(fixture);
    const tx = attestations.connect(auditor).attest(DIGEST, 1, 2, REPORT);
    await expect(tx).to.emit(attestations, "DeclarationAttested").withArgs(DIGEST, org("audit"), auditor.address, 1, 2, REPORT);
    const [first] = await attestations.attestationsOf(DIGEST);
    expect([first.auditorOrg, first.result, first.assurance, first.reportHash]).to.deep.equal([org("audit"), 1n, 2n, REPORT]);
  });

  it("non-auditors, outsiders and suspended auditors cannot attest", async function () {
    const { ledger, attestations, supplier, outsider, auditor, regulator, roles } = await networkHelpers.loadFixture(fixture);
    await expect(attestations.connect(supplier).attest(DIGEST, 1, 1, REPORT))
      .to.be.revertedWithCustomError(ledger, "TanjiMissingRole")
      .withArgs(supplier.address, org("acme"), roles.AUDITOR);
    await expect(attestations.connect(outsider).attest(DIGEST, 1, 1, REPORT))
      .to.be.revertedWithCustomError(ledger, "TanjiNotMember")
      .withArgs(outsider.address);
    await ledger.connect(regulator).suspendMember(org("audit"), ethers.ZeroHash);
    await expect(attestations.connect(auditor).attest(DIGEST, 1, 1, REPORT))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
      .withArgs(org("audit"));
  });

  it("rejects zero digest, out-of-range result or assurance, and zero report hash by name", async function () {
    const { attestations, auditor } = await networkHelpers.loadFixture(fixture);
    const as = attestations.connect(auditor);
    await expect(as.attest(ethers.ZeroHash, 1, 1, REPORT)).to.be.revertedWithCustomError(attestations, "TanjiZeroDigest");
    for (const result of [0, 4]) {
      await expect(as.attest(DIGEST, result, 1, REPORT))
        .to.be.revertedWithCustomError(attestations, "TanjiInvalidAttestationResult")
        .withArgs(result);
    }
    for (const assurance of [0, 3]) {
      await expect(as.attest(DIGEST, 1, assurance, REPORT))
        .to.be.revertedWithCustomError(attestations, "TanjiInvalidAssurance")
        .withArgs(assurance);
    }
    await expect(as.attest(DIGEST, 1, 1, ethers.ZeroHash))
      .to.be.revertedWithCustomError(attestations, "TanjiZeroReportHash")
      .withArgs(DIGEST);
  });
});

describe("TanjiLabels", function () {
  const SERIAL = ethers.id("CN-CL-2026-000001");
  const PRODUCT = ethers.id("urn:tanji:product:cell-280Ah");

  async function issued() {
    const base = await deployTanji(ethers);
    const now = BigInt(await networkHelpers.time.latest());
    await base.labels.connect(base.certifier).issueLabel(SERIAL, PRODUCT, DIGEST, grade("A+"), now - 10n, now + 86400n);
    return { ...base, now };
  }

  it("a certifier issues a label that is valid inside its window", async function () {
    const { labels, certifier } = await networkHelpers.loadFixture(fixture);
    const now = BigInt(await networkHelpers.time.latest());
    await expect(labels.connect(certifier).issueLabel(SERIAL, PRODUCT, DIGEST, grade("A+"), now, now + 1000n))
      .to.emit(labels, "LabelIssued")
      .withArgs(SERIAL, org("cert"), PRODUCT, DIGEST, grade("A+"), now, now + 1000n);
    expect(await labels.labelStatus(SERIAL)).to.equal(1n);
    expect(await labels.labelsOf(DIGEST)).to.deep.equal([SERIAL]);
    expect(await labels.labelsOf(PRODUCT)).to.deep.equal([]);
    const label = await labels.labelOf(SERIAL);
    expect([label.issuerOrg, label.grade, label.state]).to.deep.equal([org("cert"), grade("A+"), 1n]);
  });

  it("reports not-yet-valid and expired labels from block time", async function () {
    const { labels, certifier } = await networkHelpers.loadFixture(fixture);
    const now = BigInt(await networkHelpers.time.latest());
    await labels.connect(certifier).issueLabel(SERIAL, PRODUCT, DIGEST, grade("B"), now + 100n, now + 200n);
    expect(await labels.labelStatus(SERIAL)).to.equal(2n);
    await networkHelpers.time.increaseTo(now + 250n);
    expect(await labels.labelStatus(SERIAL)).to.equal(3n);
  });

  it("suspends, reinstates and revokes; a regulator may revoke", async function () {
    const { labels, certifier, regulator } = await networkHelpers.loadFixture(issued);
    await expect(labels.connect(certifier).suspendLabel(SERIAL, 1)).to.emit(labels, "LabelSuspended").withArgs(SERIAL, 1, certifier.address);
    expect(await labels.labelStatus(SERIAL)).to.equal(4n);
    await expect(labels.connect(certifier).suspendLabel(SERIAL, 1))
      .to.be.revertedWithCustomError(labels, "TanjiLabelStateConflict")
      .withArgs(SERIAL, 2);
    await expect(labels.connect(certifier).reinstateLabel(SERIAL)).to.emit(labels, "LabelReinstated").withArgs(SERIAL, certifier.address);
    await expect(labels.connect(certifier).reinstateLabel(SERIAL))
      .to.be.revertedWithCustomError(labels, "TanjiLabelStateConflict")
      .withArgs(SERIAL, 1);
    await expect(labels.connect(regulator).revokeLabel(SERIAL, 6)).to.emit(labels, "LabelRevoked").withArgs(SERIAL, 6, regulator.address);
    expect(await labels.labelStatus(SERIAL)).to.equal(5n);
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

  it("rejects duplicate, zero, incomplete, empty-window and unknown labels and bad reasons", async function () {
    const { labels, certifier, now } = await networkHelpers.loadFixture(issued);
    const c = labels.connect(certifier);
    await expect(c.issueLabel(SERIAL, PRODUCT, DIGEST, grade("A"), now, now + 1n))
      .to.be.revertedWithCustomError(labels, "TanjiLabelAlreadyIssued")
      .withArgs(SERIAL);
    await expect(c.issueLabel(ethers.ZeroHash, PRODUCT, DIGEST, grade("A"), now, now + 1n)).to.be.revertedWithCustomError(
      labels,
      "TanjiZeroSerial",
    );
    const other = ethers.id("other");
    await expect(c.issueLabel(other, ethers.ZeroHash, DIGEST, grade("A"), now, now + 1n))
      .to.be.revertedWithCustomError(labels, "TanjiIncompleteLabel")
      .withArgs(other);
    await expect(c.issueLabel(other, PRODUCT, DIGEST, grade("A"), now, now))
      .to.be.revertedWithCustomError(labels, "TanjiInvalidValidity")
      .withArgs(now, now);
    await expect(c.suspendLabel(other, 1)).to.be.revertedWithCustomError(labels, "TanjiUnknownLabel").withArgs(other);
    await expect(c.suspendLabel(SERIAL, 9)).to.be.revertedWithCustomError(labels, "TanjiInvalidReasonCode").withArgs(9);
  });
});
