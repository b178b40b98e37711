import { expect } from "chai";
import { network } from "hardhat";
import { anchorDeclarations, declarationTree, deployTanji, orgId } from "./helpers.js";

const { ethers, networkHelpers } = await network.create();
const fixture = () => deployTanji(ethers);
const org = (handle) => orgId(ethers, handle);
const gasOf = async (tx) => (await (await tx).wait()).gasUsed;

/** `count` fresh addresses (keys are never signed with here, only registered and retired). */
const freshKeys = (count) => Array.from({ length: count }, () => ethers.Wallet.createRandom().address);

describe("TanjiLedger bounded work per call", function () {
  it("a member cannot hold more than MAX_ACTIVE_KEYS active keys, by addition or by acceptance", async function () {
    const { ledger, supplier } = await networkHelpers.loadFixture(fixture);
    const max = await ledger.MAX_ACTIVE_KEYS();
    expect(max).to.equal(8n);
    const keys = freshKeys(Number(max));
    for (const key of keys.slice(0, Number(max) - 1)) await ledger.connect(supplier).addKey(org("acme"), key);
    await expect(ledger.connect(supplier).addKey(org("acme"), keys.at(-1)))
      .to.be.revertedWithCustomError(ledger, "TanjiTooManyActiveKeys")
      .withArgs(org("acme"), max);
    await ledger.proposeKey(org("acme"), keys.at(-1));
    await expect(ledger.connect(supplier).acceptKey(org("acme"), keys.at(-1)))
      .to.be.revertedWithCustomError(ledger, "TanjiTooManyActiveKeys")
      .withArgs(org("acme"), max);
    await ledger.connect(supplier).retireKey(org("acme"), keys[0]);
    await ledger.connect(supplier).acceptKey(org("acme"), keys.at(-1));
    expect(await ledger.activeKeys(org("acme"))).to.have.length(Number(max));
    expect(await ledger.memberKeys(org("acme"))).to.have.length(Number(max) + 1);
  });

  it("a member cannot make its suspension cost more by piling up retired keys", async function () {
    const { ledger, supplier, leader, regulator } = await networkHelpers.loadFixture(fixture);
    for (const key of freshKeys(40)) {
      await ledger.connect(supplier).addKey(org("acme"), key);
      await ledger.connect(supplier).retireKey(org("acme"), key);
    }
    expect(await ledger.memberKeys(org("acme"))).to.have.length(41);
    expect(await ledger.activeKeys(org("acme"))).to.deep.equal([supplier.address]);
    const longHistory = await gasOf(ledger.connect(regulator).suspendMember(org("acme"), ethers.ZeroHash));
    const noHistory = await gasOf(ledger.connect(regulator).suspendMember(org("leader"), ethers.ZeroHash));
    // the two org ids differ only in calldata bytes (4 or 16 gas each); one retired key swept by a loop would
    // cost at least 7 roles x 2,100 gas of cold storage reads
    const within = (a, b) => (a > b ? a - b : b - a) < 200n;
    expect(within(longHistory, noHistory), `${longHistory} vs ${noHistory}`).to.equal(true);
    const reinstateLong = await gasOf(ledger.connect(regulator).reinstateMember(org("acme")));
    const reinstateShort = await gasOf(ledger.connect(regulator).reinstateMember(org("leader")));
    expect(within(reinstateLong, reinstateShort), `${reinstateLong} vs ${reinstateShort}`).to.equal(true);
    console.log(`      gas: suspendMember after 40 retired keys ${longHistory}, with none ${noHistory}`);
    expect(leader.address).to.not.equal(supplier.address);
  });

  it("retiring a key and changing roles stay bounded by the active-key cap", async function () {
    const { ledger, supplier, roles } = await networkHelpers.loadFixture(fixture);
    for (const key of freshKeys(7)) await ledger.connect(supplier).addKey(org("acme"), key);
    const grantFull = await gasOf(ledger.grantMemberRole(org("acme"), roles.CHAIN_LEADER));
    expect(grantFull).to.be.lessThan(1_000_000n);
    const active = await ledger.activeKeys(org("acme"));
    await ledger.connect(supplier).retireKey(org("acme"), active[3]);
    const after = await ledger.activeKeys(org("acme"));
    expect(after).to.have.length(7);
    expect(after).to.not.include(active[3]);
    expect(new Set(after)).to.deep.equal(new Set(active.filter((k) => k !== active[3])));
  });

  it("batch anchoring stays under 50,000 gas (49 gas per declaration at 1,000) and issuing a label is bounded", async function () {
    const { ledger, attestations, labels, supplier, auditor, certifier } = await networkHelpers.loadFixture(fixture);
    const entries = Array.from({ length: 1000 }, (_, i) => [ethers.id(`d-${i}`), supplier.address]);
    const tree = declarationTree(ethers, entries);
    const anchorGas = await gasOf(ledger.anchorBatch(tree.root, 1000, ""));
    expect(anchorGas).to.be.lessThan(50_000n);
    const { refs } = await anchorDeclarations(ethers, ledger, entries.slice(0, 8));
    await attestations.connect(auditor).attest(refs[3], 1, 2, ethers.id("report"));
    const now = BigInt(await networkHelpers.time.latest());
    const grade = ethers.zeroPadBytes(ethers.toUtf8Bytes("A"), 16);
    const TERMS = ethers.id("label terms");
    const labelGas = await gasOf(
      labels.connect(certifier).issueLabel(ethers.id("CN-1"), ethers.id("p"), refs[3], grade, now, now + 99n, 0, TERMS),
    );
    expect(labelGas).to.be.lessThan(330_000n); // ~303k: the terms hash is one more storage slot (~22k)
    console.log(`      gas: anchorBatch(1,000 leaves) ${anchorGas}, issueLabel ${labelGas}`);
  });
});
