import { expect } from "chai";
import { network } from "hardhat";
import { deployTanji, orgId } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const fixture = () => deployTanji(ethers);
const org = (handle) => orgId(ethers, handle);

describe("TanjiLedger membership", function () {
  it("registers a member with its first key and roles and emits every event", async function () {
    const { ledger, operator, outsider, roles } = await networkHelpers.loadFixture(fixture);
    const tx = ledger.registerMember(org("newco"), "newco", outsider.address, [roles.SUPPLIER, roles.AUDITOR]);
    await expect(tx).to.emit(ledger, "MemberRegistered").withArgs(org("newco"), "newco", outsider.address, operator.address);
    await expect(tx).to.emit(ledger, "MemberRoleGranted").withArgs(org("newco"), roles.SUPPLIER, operator.address);
    await expect(tx).to.emit(ledger, "KeyAdded").withArgs(org("newco"), outsider.address, operator.address);
    await expect(tx).to.emit(ledger, "RoleGranted").withArgs(roles.AUDITOR, outsider.address, operator.address);
    expect(await ledger.hasRole(roles.SUPPLIER, outsider.address)).to.equal(true);
    expect(await ledger.memberHasRole(org("newco"), roles.AUDITOR)).to.equal(true);
    const [name, suspended, registeredAt] = await ledger.memberInfo(org("newco"));
    expect([name, suspended, registeredAt > 0n]).to.deep.equal(["newco", false, true]);
  });

  it("non-admin cannot register a member", async function () {
    const { ledger, supplier, outsider, roles } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.connect(supplier).registerMember(org("x"), "x", outsider.address, []))
      .to.be.revertedWithCustomError(ledger, "TanjiMissingRole")
      .withArgs(supplier.address, org("acme"), roles.ADMIN);
    await expect(ledger.connect(outsider).registerMember(org("x"), "x", outsider.address, []))
      .to.be.revertedWithCustomError(ledger, "TanjiNotMember")
      .withArgs(outsider.address);
  });

  it("rejects zero org id, duplicate org, zero key, reused key and unknown role by name", async function () {
    const { ledger, supplier, outsider } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.registerMember(ethers.ZeroHash, "z", outsider.address, [])).to.be.revertedWithCustomError(
      ledger,
      "TanjiZeroOrgId",
    );
    await expect(ledger.registerMember(org("acme"), "acme", outsider.address, []))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberAlreadyRegistered")
      .withArgs(org("acme"));
    await expect(ledger.registerMember(org("y"), "y", ethers.ZeroAddress, [])).to.be.revertedWithCustomError(
      ledger,
      "TanjiZeroAddress",
    );
    await expect(ledger.registerMember(org("y"), "y", supplier.address, []))
      .to.be.revertedWithCustomError(ledger, "TanjiKeyAlreadyRegistered")
      .withArgs(supplier.address, org("acme"));
    const bogus = ethers.id("BOGUS_ROLE");
    await expect(ledger.registerMember(org("y"), "y", outsider.address, [bogus]))
      .to.be.revertedWithCustomError(ledger, "TanjiUnknownRole")
      .withArgs(bogus);
  });

  it("grants and revokes member roles on every active key", async function () {
    const { ledger, operator, supplier, spare, roles } = await networkHelpers.loadFixture(fixture);
    await ledger.connect(supplier).addKey(org("acme"), spare.address);
    await expect(ledger.grantMemberRole(org("acme"), roles.CHAIN_LEADER))
      .to.emit(ledger, "MemberRoleGranted")
      .withArgs(org("acme"), roles.CHAIN_LEADER, operator.address);
    expect(await ledger.hasRole(roles.CHAIN_LEADER, spare.address)).to.equal(true);
    await expect(ledger.grantMemberRole(org("acme"), roles.CHAIN_LEADER))
      .to.be.revertedWithCustomError(ledger, "TanjiRoleUnchanged")
      .withArgs(org("acme"), roles.CHAIN_LEADER);
    await expect(ledger.revokeMemberRole(org("acme"), roles.CHAIN_LEADER))
      .to.emit(ledger, "MemberRoleRevoked")
      .withArgs(org("acme"), roles.CHAIN_LEADER, operator.address);
    expect(await ledger.hasRole(roles.CHAIN_LEADER, supplier.address)).to.equal(false);
    await expect(ledger.grantMemberRole(org("ghost"), roles.SUPPLIER))
      .to.be.revertedWithCustomError(ledger, "TanjiUnknownMember")
      .withArgs(org("ghost"));
  });

  it("refuses direct AccessControl role management", async function () {
    const { ledger, outsider, supplier, roles } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.grantRole(roles.SUPPLIER, outsider.address))
      .to.be.revertedWithCustomError(ledger, "TanjiRoleManagedByMembership")
      .withArgs(roles.SUPPLIER, outsider.address);
    await expect(ledger.revokeRole(roles.SUPPLIER, supplier.address))
      .to.be.revertedWithCustomError(ledger, "TanjiRoleManagedByMembership")
      .withArgs(roles.SUPPLIER, supplier.address);
    await expect(ledger.connect(supplier).renounceRole(roles.SUPPLIER, supplier.address))
      .to.be.revertedWithCustomError(ledger, "TanjiRoleManagedByMembership")
      .withArgs(roles.SUPPLIER, supplier.address);
  });

  it("rotates keys: a retired key loses its roles and keeps its active window on record", async function () {
    const { ledger, supplier, spare, roles } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.connect(supplier).addKey(org("acme"), spare.address))
      .to.emit(ledger, "KeyAdded")
      .withArgs(org("acme"), spare.address, supplier.address);
    const signedAt = await ethers.provider.getBlockNumber();
    const tx = await ledger.connect(spare).retireKey(org("acme"), supplier.address);
    const retiredAt = (await tx.wait()).blockNumber;
    await expect(tx).to.emit(ledger, "KeyRetired").withArgs(org("acme"), supplier.address, retiredAt, spare.address);
    expect(await ledger.hasRole(roles.SUPPLIER, supplier.address)).to.equal(false);
    expect(await ledger.wasKeyActiveAt(supplier.address, signedAt)).to.equal(true);
    expect(await ledger.wasKeyActiveAt(supplier.address, retiredAt)).to.equal(false);
    const record = await ledger.keyRecord(supplier.address);
    expect(record.retiredAtBlock).to.equal(BigInt(retiredAt));
    await expect(ledger.connect(supplier).addKey(org("acme"), ethers.Wallet.createRandom().address))
      .to.be.revertedWithCustomError(ledger, "TanjiKeyRetired")
      .withArgs(supplier.address, retiredAt);
    await expect(ledger.retireKey(org("acme"), supplier.address))
      .to.be.revertedWithCustomError(ledger, "TanjiKeyRetired")
      .withArgs(supplier.address, retiredAt);
    expect(await ledger.memberKeys(org("acme"))).to.deep.equal([supplier.address, spare.address]);
  });

  it("refuses to retire the last active key, a foreign key, or to let another member manage keys", async function () {
    const { ledger, supplier, auditor, outsider } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.retireKey(org("acme"), supplier.address))
      .to.be.revertedWithCustomError(ledger, "TanjiLastActiveKey")
      .withArgs(org("acme"), supplier.address);
    await expect(ledger.retireKey(org("acme"), auditor.address))
      .to.be.revertedWithCustomError(ledger, "TanjiKeyNotOfMember")
      .withArgs(auditor.address, org("acme"));
    await expect(ledger.connect(auditor).addKey(org("acme"), outsider.address))
      .to.be.revertedWithCustomError(ledger, "TanjiNotKeyManager")
      .withArgs(auditor.address, org("acme"));
  });

  it("suspends and reinstates members; suspended members lose every role", async function () {
    const { ledger, supplier, regulator, roles } = await networkHelpers.loadFixture(fixture);
    const reason = ethers.id("audit finding");
    await expect(ledger.connect(regulator).suspendMember(org("acme"), reason))
      .to.emit(ledger, "MemberSuspended")
      .withArgs(org("acme"), reason, regulator.address);
    expect(await ledger.hasRole(roles.SUPPLIER, supplier.address)).to.equal(false);
    await expect(ledger.requireActive(supplier.address, roles.SUPPLIER))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
      .withArgs(org("acme"));
    await expect(ledger.connect(regulator).suspendMember(org("acme"), reason))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberSuspended")
      .withArgs(org("acme"));
    await expect(ledger.connect(regulator).reinstateMember(org("acme")))
      .to.emit(ledger, "MemberReinstated")
      .withArgs(org("acme"), regulator.address);
    expect(await ledger.requireActive(supplier.address, roles.SUPPLIER)).to.equal(org("acme"));
    await expect(ledger.connect(regulator).reinstateMember(org("acme")))
      .to.be.revertedWithCustomError(ledger, "TanjiMemberNotSuspended")
      .withArgs(org("acme"));
  });

  it("only admin or regulator may suspend, and the admin organization is protected", async function () {
    const { ledger, supplier, regulator, roles } = await networkHelpers.loadFixture(fixture);
    await expect(ledger.connect(supplier).suspendMember(org("audit"), ethers.ZeroHash))
      .to.be.revertedWithCustomError(ledger, "TanjiMissingRole")
      .withArgs(supplier.address, org("acme"), roles.REGULATOR);
    await expect(ledger.connect(regulator).suspendMember(org("operator"), ethers.ZeroHash))
      .to.be.revertedWithCustomError(ledger, "TanjiProtectedMember")
      .withArgs(org("operator"));
  });
});
