import { expect } from "chai";
import { network } from "hardhat";
import { anchorDeclarations, deployTanji, orgId } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const fixture = () => deployTanji(ethers);
const org = (handle) => orgId(ethers, handle);
const blockOf = async (tx) => (await (await tx).wait()).blockNumber;

describe("TanjiLedger suspension history", function () {
  it("a declaration submitted before its organization was suspended and anchored after is detectable", async function () {
    const { ledger, supplier, regulator } = await networkHelpers.loadFixture(fixture);
    const before = await anchorDeclarations(ethers, ledger, [[ethers.id("before"), supplier.address]]);
    const suspendedAt = await blockOf(ledger.connect(regulator).suspendMember(org("acme"), ethers.id("fraud")));
    const during = await anchorDeclarations(ethers, ledger, [[ethers.id("during"), supplier.address]]);
    const reinstatedAt = await blockOf(ledger.connect(regulator).reinstateMember(org("acme")));
    const after = await anchorDeclarations(ethers, ledger, [[ethers.id("after"), supplier.address]]);
    expect(await ledger.wasKeyUsableAt(supplier.address, before.receipt.blockNumber)).to.equal(true);
    expect(await ledger.wasKeyUsableAt(supplier.address, during.receipt.blockNumber)).to.equal(false);
    expect(await ledger.wasKeyUsableAt(supplier.address, after.receipt.blockNumber)).to.equal(true);
    // the key itself never changed: only the organization's windows tell the declarations apart
    expect(await ledger.wasKeyActiveAt(supplier.address, during.receipt.blockNumber)).to.equal(true);
    const windows = await ledger.suspensionsOf(org("acme"));
    expect(windows.map((w) => [w.suspendedAtBlock, w.reinstatedAtBlock])).to.deep.equal([
      [BigInt(suspendedAt), BigInt(reinstatedAt)],
    ]);
  });

  it("a suspension covers its first and last block; an open suspension covers every later block", async function () {
    const { ledger, regulator } = await networkHelpers.loadFixture(fixture);
    const registeredAt = (await ledger.memberInfo(org("acme"))).registeredAtBlock;
    const s1 = await blockOf(ledger.connect(regulator).suspendMember(org("acme"), ethers.ZeroHash));
    await networkHelpers.mine(3);
    const r1 = await blockOf(ledger.connect(regulator).reinstateMember(org("acme")));
    await networkHelpers.mine(3);
    const s2 = await blockOf(ledger.connect(regulator).suspendMember(org("acme"), ethers.ZeroHash));
    await networkHelpers.mine(2);
    const expected = [
      [registeredAt - 1n, false],
      [registeredAt, true],
      [s1 - 1, true],
      [s1, false],
      [s1 + 2, false],
      [r1, false],
      [r1 + 1, true],
      [s2 - 1, true],
      [s2, false],
      [s2 + 100, false],
    ];
    for (const [block, active] of expected) {
      expect(await ledger.wasOrgActiveAt(org("acme"), block), `block ${block}`).to.equal(active);
    }
    expect(await ledger.wasOrgActiveAt(org("ghost"), s1)).to.equal(false);
    expect((await ledger.suspensionsOf(org("acme"))).at(-1).reinstatedAtBlock).to.equal(0n);
  });

  it("a retired key is unusable from its retirement block even if its organization is active", async function () {
    const { ledger, supplier, spare } = await networkHelpers.loadFixture(fixture);
    await ledger.connect(supplier).addKey(org("acme"), spare.address);
    const retiredAt = await blockOf(ledger.connect(spare).retireKey(org("acme"), supplier.address));
    expect(await ledger.wasKeyUsableAt(supplier.address, retiredAt - 1)).to.equal(true);
    expect(await ledger.wasKeyUsableAt(supplier.address, retiredAt)).to.equal(false);
    expect(await ledger.wasKeyUsableAt(ethers.Wallet.createRandom().address, retiredAt)).to.equal(false);
  });
});
