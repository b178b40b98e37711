import { expect } from "chai";
import { network } from "hardhat";
import { anchorDeclarations, deployTanji, orgId } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const org = (handle) => orgId(ethers, handle);
const DIGEST = ethers.id("declaration digest");
const OTHER = ethers.id("another declaration");
const REPORT = ethers.id("verification report");

/** Deploys Tanji and anchors two declarations of the supplier "acme". */
async function anchored() {
  const base = await deployTanji(ethers);
  const { refs, tree } = await anchorDeclarations(ethers, base.ledger, [
    [DIGEST, base.supplier.address],
    [OTHER, base.supplier.address],
  ]);
  return { ...base, ref: refs[0], other: refs[1], tree };
}

/** As {anchored}, with attestation 0 of DIGEST by the auditor "audit" (verified, reasonable). */
async function attested() {
  const base = await anchored();
  await base.attestations.connect(base.auditor).attest(base.ref, 1, 2, REPORT);
  return base;
}

describe("TanjiAttestations", function () {
  it("an auditor attests an anchored declaration with result, assurance, report hash and declarant", async function () {
    const { attestations, auditor, supplier, ref } = await networkHelpers.loadFixture(anchored);
    const tx = attestations.connect(auditor).attest(ref, 1, 2, REPORT);
    await expect(tx)
      .to.emit(attestations, "DeclarationAttested")
      .withArgs(DIGEST, org("audit"), auditor.address, 0, supplier.address, 1, 2, REPORT);
    const first = await attestations.attestationOf(DIGEST, 0);
    expect([first.auditorOrg, first.result, first.assurance, first.reportHash, first.declarant]).to.deep.equal([
      org("audit"),
      1n,
      2n,
      REPORT,
      supplier.address,
    ]);
    expect([first.withdrawnAtBlock, first.withdrawReason]).to.deep.equal([0n, 0n]);
    expect(await attestations.attestationCount(DIGEST)).to.equal(1n);
  });

  it("pages attestations by offset and count, past the end yields nothing", async function () {
    const { attestations, auditor, ref } = await networkHelpers.loadFixture(anchored);
    for (const report of ["r1", "r2", "r3"]) await attestations.connect(auditor).attest(ref, 1, 1, ethers.id(report));
    const page = await attestations.attestationsOf(DIGEST, 1, 5);
    expect(page.map((a) => a.reportHash)).to.deep.equal([ethers.id("r2"), ethers.id("r3")]);
    expect(await attestations.attestationsOf(DIGEST, 0, 1)).to.have.length(1);
    expect(await attestations.attestationsOf(DIGEST, 3, 2)).to.have.length(0);
    await expect(attestations.attestationOf(DIGEST, 3))
      .to.be.revertedWithCustomError(attestations, "TanjiUnknownAttestation")
      .withArgs(DIGEST, 3);
  });

  it("non-auditors, outsiders and suspended auditors cannot attest", async function () {
    const { ledger, attestations, supplier, outsider, auditor, regulator, roles, ref } =
      await networkHelpers.loadFixture(anchored);
    await expect(attestations.connect(supplier).attest(ref, 1, 1, REPORT))
      .to.be.revertedWithCustomError(ledger, "TanjiMissingRole")
      .withArgs(supplier.address, org("acme"), roles.AUDITOR);
    await expect(attestations.connect(outsider).attest(ref, 1, 1, REPORT))
      .to.be.revertedWithCustomError(ledger, "TanjiNotMember")
      .withArgs(outsider.address);
    await ledger.connect(regulator).suspendMember(org("audit"), ethers.ZeroHash);
    await expect(attestations.connect(auditor).attest(ref, 1, 1, REPORT))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
      .withArgs(org("audit"));
  });

  it("rejects zero digest, out-of-range result or assurance, and zero report hash by name", async function () {
    const { attestations, auditor, ref } = await networkHelpers.loadFixture(anchored);
    const as = attestations.connect(auditor);
    await expect(as.attest({ ...ref, digest: ethers.ZeroHash }, 1, 1, REPORT)).to.be.revertedWithCustomError(
      attestations,
      "TanjiZeroDigest",
    );
    for (const result of [0, 4]) {
      await expect(as.attest(ref, result, 1, REPORT))
        .to.be.revertedWithCustomError(attestations, "TanjiInvalidAttestationResult")
        .withArgs(result);
    }
    for (const assurance of [0, 3]) {
      await expect(as.attest(ref, 1, assurance, REPORT))
        .to.be.revertedWithCustomError(attestations, "TanjiInvalidAssurance")
        .withArgs(assurance);
    }
    await expect(as.attest(ref, 1, 1, ethers.ZeroHash))
      .to.be.revertedWithCustomError(attestations, "TanjiZeroReportHash")
      .withArgs(DIGEST);
  });

  it("an auditor cannot attest an unanchored declaration or one outside the batch it names", async function () {
    const { ledger, attestations, auditor, supplier, ref, tree } = await networkHelpers.loadFixture(anchored);
    const ghost = ethers.id("never anchored root");
    await expect(attestations.connect(auditor).attest({ ...ref, root: ghost }, 1, 1, REPORT))
      .to.be.revertedWithCustomError(ledger, "TanjiUnknownRoot")
      .withArgs(ghost);
    const stranger = ethers.id("not in the batch");
    await expect(attestations.connect(auditor).attest({ ...ref, digest: stranger }, 1, 1, REPORT))
      .to.be.revertedWithCustomError(ledger, "TanjiLeafNotInBatch")
      .withArgs(tree.root, await ledger.declarationLeaf(stranger, supplier.address));
  });

  it("an auditor cannot attest a revoked or superseded declaration", async function () {
    const { ledger, attestations, auditor, supplier, ref, other } = await networkHelpers.loadFixture(anchored);
    await ledger.connect(supplier).revokeDeclaration(ref.root, ref.digest, ref.declarant, ref.proof, 3);
    await expect(attestations.connect(auditor).attest(ref, 1, 1, REPORT))
      .to.be.revertedWithCustomError(attestations, "TanjiDeclarationNotCurrent")
      .withArgs(DIGEST, 2);
    await ledger.connect(supplier).supersedeDeclaration(other.root, OTHER, other.declarant, other.proof, DIGEST);
    await expect(attestations.connect(auditor).attest(other, 1, 1, REPORT))
      .to.be.revertedWithCustomError(attestations, "TanjiDeclarationNotCurrent")
      .withArgs(OTHER, 3);
  });

  it("an auditor cannot attest its own organization's declaration", async function () {
    const { ledger, attestations, supplier, roles, ref } = await networkHelpers.loadFixture(anchored);
    await ledger.grantMemberRole(org("acme"), roles.AUDITOR);
    await expect(attestations.connect(supplier).attest(ref, 1, 2, REPORT))
      .to.be.revertedWithCustomError(attestations, "TanjiSelfAttestation")
      .withArgs(org("acme"), supplier.address);
    expect(await attestations.attestationCount(DIGEST)).to.equal(0n);
  });

  it("an auditor cannot attest a declaration anchored while its organization was suspended", async function () {
    const { ledger, attestations, auditor, supplier, regulator } = await networkHelpers.loadFixture(anchored);
    await ledger.connect(regulator).suspendMember(org("acme"), ethers.ZeroHash);
    const late = ethers.id("submitted before suspension, anchored after");
    const { refs, receipt } = await anchorDeclarations(ethers, ledger, [[late, supplier.address]]);
    await ledger.connect(regulator).reinstateMember(org("acme"));
    await expect(attestations.connect(auditor).attest(refs[0], 1, 1, REPORT))
      .to.be.revertedWithCustomError(attestations, "TanjiDeclarantInactiveAtAnchoring")
      .withArgs(supplier.address, receipt.blockNumber);
  });

  it("the attesting organization withdraws its attestation with a reason, once", async function () {
    const { attestations, auditor } = await networkHelpers.loadFixture(attested);
    await expect(attestations.connect(auditor).withdrawAttestation(DIGEST, 0, 0))
      .to.be.revertedWithCustomError(attestations, "TanjiInvalidReasonCode")
      .withArgs(0);
    const tx = await attestations.connect(auditor).withdrawAttestation(DIGEST, 0, 3);
    await expect(tx).to.emit(attestations, "AttestationWithdrawn").withArgs(DIGEST, 0, org("audit"), 3, auditor.address);
    const block = (await tx.wait()).blockNumber;
    const withdrawn = await attestations.attestationOf(DIGEST, 0);
    expect([withdrawn.withdrawnAtBlock, withdrawn.withdrawReason]).to.deep.equal([BigInt(block), 3n]);
    await expect(attestations.connect(auditor).withdrawAttestation(DIGEST, 0, 3))
      .to.be.revertedWithCustomError(attestations, "TanjiAttestationAlreadyWithdrawn")
      .withArgs(DIGEST, 0, block);
  });

  it("another auditor, the declarant or the operator cannot withdraw an attestation; a regulator can", async function () {
    const { ledger, attestations, supplier, operator, outsider, regulator, roles } =
      await networkHelpers.loadFixture(attested);
    await ledger.registerMember(org("audit2"), "audit2", outsider.address, [roles.AUDITOR]);
    for (const account of [outsider, supplier, operator]) {
      await expect(attestations.connect(account).withdrawAttestation(DIGEST, 0, 1))
        .to.be.revertedWithCustomError(attestations, "TanjiNotAttestorOrRegulator")
        .withArgs(account.address, DIGEST, 0);
    }
    await expect(attestations.connect(regulator).withdrawAttestation(DIGEST, 0, 6))
      .to.emit(attestations, "AttestationWithdrawn")
      .withArgs(DIGEST, 0, org("audit"), 6, regulator.address);
    await expect(attestations.connect(regulator).withdrawAttestation(DIGEST, 4, 6))
      .to.be.revertedWithCustomError(attestations, "TanjiUnknownAttestation")
      .withArgs(DIGEST, 4);
  });

  it("a suspended auditor organization cannot withdraw its attestation", async function () {
    const { ledger, attestations, auditor, regulator } = await networkHelpers.loadFixture(attested);
    await ledger.connect(regulator).suspendMember(org("audit"), ethers.ZeroHash);
    await expect(attestations.connect(auditor).withdrawAttestation(DIGEST, 0, 1))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
      .withArgs(org("audit"));
  });
});
