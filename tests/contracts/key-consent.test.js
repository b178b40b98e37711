import { expect } from "chai";
import { network } from "hardhat";
import { deployTanji, orgId } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const fixture = () => deployTanji(ethers);
const org = (handle) => orgId(ethers, handle);

describe("TanjiLedger key consent", function () {
  it("operator cannot add its own key to a member without the member's consent", async function () {
    const { ledger, operator, spare, roles } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.connect(operator).addKey(org("acme"), spare.address))
      .to.be.revertedWithCustomError(ledger, "TanjiNotKeyManager")
      .withArgs(operator.address, org("acme"));
    expect((await ledger.keyRecord(spare.address)).orgId).to.equal(ethers.ZeroHash);
    expect(await ledger.hasRole(roles.SUPPLIER, spare.address)).to.equal(false);
  });

  it("a key the operator proposes cannot act or sign for the member until the member accepts it", async function () {
    const { ledger, operator, supplier, spare, roles } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.proposeKey(org("acme"), spare.address))
      .to.emit(ledger, "KeyProposed")
      .withArgs(org("acme"), spare.address, operator.address);
    expect(await ledger.proposedKeyOrg(spare.address)).to.equal(org("acme"));
    await expect(ledger.requireActive(spare.address, roles.SUPPLIER))
      .to.be.revertedWithCustomError(ledger, "TanjiNotMember")
      .withArgs(spare.address);
    await expect(ledger.connect(supplier).acceptKey(org("acme"), spare.address))
      .to.emit(ledger, "KeyAdded")
      .withArgs(org("acme"), spare.address, supplier.address);
    expect(await ledger.requireActive(spare.address, roles.SUPPLIER)).to.equal(org("acme"));
    expect(await ledger.proposedKeyOrg(spare.address)).to.equal(ethers.ZeroHash);
    expect(await ledger.activeKeys(org("acme"))).to.deep.equal([supplier.address, spare.address]);
  });

  it("a proposed key cannot accept itself, nor can another member accept it", async function () {
    const { ledger, auditor, spare } = await networkHelpers.loadFixture(fixture);
    await ledger.proposeKey(org("acme"), spare.address);
    await expect(ledger.connect(spare).acceptKey(org("acme"), spare.address))
      .to.be.revertedWithCustomError(ledger, "TanjiNotKeyManager")
      .withArgs(spare.address, org("acme"));
    await expect(ledger.connect(auditor).acceptKey(org("acme"), spare.address))
      .to.be.revertedWithCustomError(ledger, "TanjiNotKeyManager")
      .withArgs(auditor.address, org("acme"));
  });

  it("a member cannot take over a key proposed for another organization", async function () {
    const { ledger, supplier, auditor, spare } = await networkHelpers.loadFixture(fixture);
    await ledger.proposeKey(org("audit"), spare.address);
    await expect(ledger.connect(supplier).acceptKey(org("acme"), spare.address))
      .to.be.revertedWithCustomError(ledger, "TanjiKeyNotProposed")
      .withArgs(org("acme"), spare.address);
    await ledger.connect(auditor).acceptKey(org("audit"), spare.address);
    expect((await ledger.keyRecord(spare.address)).orgId).to.equal(org("audit"));
  });

  it("only the admin proposes keys, never a key already in use, never to an unknown member", async function () {
    const { ledger, supplier, auditor, spare, roles } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.connect(supplier).proposeKey(org("acme"), spare.address))
      .to.be.revertedWithCustomError(ledger, "TanjiMissingRole")
      .withArgs(supplier.address, org("acme"), roles.ADMIN);
    await expect(ledger.proposeKey(org("acme"), auditor.address))
      .to.be.revertedWithCustomError(ledger, "TanjiKeyAlreadyRegistered")
      .withArgs(auditor.address, org("audit"));
    await expect(ledger.proposeKey(org("ghost"), spare.address))
      .to.be.revertedWithCustomError(ledger, "TanjiUnknownMember")
      .withArgs(org("ghost"));
    await expect(ledger.proposeKey(org("acme"), ethers.ZeroAddress)).to.be.revertedWithCustomError(
      ledger,
      "TanjiZeroAddress",
    );
  });

  it("a retired or suspended member key cannot consent to a new key", async function () {
    const { ledger, supplier, regulator, spare, outsider } = await networkHelpers.loadFixture(fixture);
    await ledger.connect(regulator).suspendMember(org("acme"), ethers.ZeroHash);
    await ledger.proposeKey(org("acme"), spare.address);
    await expect(ledger.connect(supplier).acceptKey(org("acme"), spare.address))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
      .withArgs(org("acme"));
    await expect(ledger.connect(supplier).addKey(org("acme"), outsider.address))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
      .withArgs(org("acme"));
    await ledger.connect(regulator).reinstateMember(org("acme"));
    await ledger.connect(supplier).acceptKey(org("acme"), spare.address);
    const retiredAt = (await (await ledger.connect(spare).retireKey(org("acme"), supplier.address)).wait()).blockNumber;
    await expect(ledger.connect(supplier).addKey(org("acme"), outsider.address))
      .to.be.revertedWithCustomError(ledger, "TanjiKeyRetired")
      .withArgs(supplier.address, retiredAt);
  });

  it("the admin may still retire a member's compromised key, but never its last one", async function () {
    const { ledger, operator, supplier, spare, roles } = await networkHelpers.loadFixture(fixture);
    await ledger.connect(supplier).addKey(org("acme"), spare.address);
    const tx = await ledger.retireKey(org("acme"), supplier.address);
    await expect(tx)
      .to.emit(ledger, "KeyRetired")
      .withArgs(org("acme"), supplier.address, (await tx.wait()).blockNumber, operator.address);
    expect(await ledger.hasRole(roles.SUPPLIER, supplier.address)).to.equal(false);
    await expect(ledger.retireKey(org("acme"), spare.address))
      .to.be.revertedWithCustomError(ledger, "TanjiLastActiveKey")
      .withArgs(org("acme"), spare.address);
  });
});
