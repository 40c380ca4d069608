/** RFC 6962 hashing and proofs against the Certificate Transparency test values (RFC 6962 / transparency-dev). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  memoryHashReader,
  rootOf,
  treeHash,
  verifyConsistency,
  verifyInclusion,
} from '../../src/provenance/index.js';

const hex = (b: Buffer) => b.toString('hex');
const unhex = (s: string) => Buffer.from(s, 'hex');

const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(unhex).map(leafHash);
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];
const INCLUSION = [
  { index: 0, size: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { index: 5, size: 8, proof: ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
];
const CONSISTENCY = [
  { size1: 1, size2: 1, proof: [] as string[] },
  { size1: 1, size2: 8, proof: ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7', '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4'] },
  { size1: 6, size2: 8, proof: ['0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a', 'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0', 'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'] },
  { size1: 2, size2: 5, proof: ['5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e', 'bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b'] },
];

test('tree heads of sizes 0 to 8 are the RFC 6962 test values', async () => {
  assert.equal(hex(EMPTY_ROOT), ROOTS[0]);
  const read = memoryHashReader(LEAVES);
  for (let n = 0; n <= 8; n++) {
    assert.equal(hex(rootOf(LEAVES.slice(0, n))), ROOTS[n], `rootOf ${n}`);
    assert.equal(hex(await treeHash(read, n)), ROOTS[n], `treeHash ${n}`);
  }
});

test('inclusion proofs are the published ones and verify; altered ones do not', async () => {
  const read = memoryHashReader(LEAVES);
  for (const v of INCLUSION) {
    const proof = await inclusionProof(read, v.index, v.size);
    assert.deepEqual(proof.map(hex), v.proof, `proof of ${v.index} in ${v.size}`);
    const root = unhex(ROOTS[v.size]!);
    assert.ok(verifyInclusion(LEAVES[v.index]!, v.index, v.size, proof, root));
    assert.ok(!verifyInclusion(LEAVES[v.index]!, v.index + 1, v.size, proof, root), 'wrong index');
    assert.ok(!verifyInclusion(LEAVES[v.index]!, v.index, v.size + 1, proof, root), 'wrong size');
    assert.ok(!verifyInclusion(LEAVES[(v.index + 1) % 8]!, v.index, v.size, proof, root), 'wrong leaf');
    assert.ok(!verifyInclusion(LEAVES[v.index]!, v.index, v.size, [...proof, proof[0]!], root), 'extra hash');
    if (proof.length) assert.ok(!verifyInclusion(LEAVES[v.index]!, v.index, v.size, proof.slice(1), root), 'missing hash');
  }
});

test('consistency proofs are the published ones and verify; altered ones do not', async () => {
  const read = memoryHashReader(LEAVES);
  for (const v of CONSISTENCY) {
    const proof = await consistencyProof(read, v.size1, v.size2);
    assert.deepEqual(proof.map(hex), v.proof, `proof ${v.size1} -> ${v.size2}`);
    const [r1, r2] = [unhex(ROOTS[v.size1]!), unhex(ROOTS[v.size2]!)];
    assert.ok(verifyConsistency(v.size1, v.size2, r1, r2, proof));
    assert.ok(!verifyConsistency(v.size1, v.size2, r2, r1, proof) || v.size1 === v.size2, 'swapped roots');
    for (let k = 0; k < proof.length; k++) {
      const bad = proof.map((h) => Buffer.from(h));
      bad[k]![0]! ^= 1;
      assert.ok(!verifyConsistency(v.size1, v.size2, r1, r2, bad), `corrupt hash ${k}`);
    }
  }
  assert.ok(verifyConsistency(0, 8, EMPTY_ROOT, unhex(ROOTS[8]!), []), 'the empty tree is consistent with any tree');
  assert.ok(!verifyConsistency(8, 6, unhex(ROOTS[8]!), unhex(ROOTS[6]!), []));
});

test('every proof of every tree up to 70 leaves verifies, as Go tlog TestTree checks ("leaf %d" records)', async () => {
  const leaves = Array.from({ length: 70 }, (_, i) => leafHash(Buffer.from(`leaf ${i}`)));
  const read = memoryHashReader(leaves);
  const roots = leaves.map((_, i) => rootOf(leaves.slice(0, i + 1)));
  for (let n = 1; n <= leaves.length; n++) {
    assert.ok((await treeHash(read, n)).equals(roots[n - 1]!));
    for (let i = 0; i < n; i++) {
      const p = await inclusionProof(read, i, n);
      assert.ok(verifyInclusion(leaves[i]!, i, n, p, roots[n - 1]!), `inclusion ${i} in ${n}`);
      for (let k = 0; k < p.length; k++) {
        p[k]![0]! ^= 1;
        assert.ok(!verifyInclusion(leaves[i]!, i, n, p, roots[n - 1]!), `corrupt inclusion hash ${k}`);
        p[k]![0]! ^= 1;
      }
    }
    for (let m = 1; m <= n; m++) {
      const p = await consistencyProof(read, m, n);
      assert.ok(verifyConsistency(m, n, roots[m - 1]!, roots[n - 1]!, p), `consistency ${m} -> ${n}`);
    }
  }
});
