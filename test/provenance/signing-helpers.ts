/** Release tarballs, keys and bundles for the signing tests, made at test time. */
import { createPrivateKey } from 'node:crypto';
import { tgz } from '../archive/build.js';
import { generateSigningKey, readSigningKey, signRelease, tarballFacts, type SigningKey } from '../../src/provenance/attestation/index.js';

export function release(name = 'Foo-Bar', version = '1.23', extra = ''): { file: string; bytes: Buffer } {
  const root = `${name}-${version}`;
  const meta = { name, version, abstract: 'x', author: ['A U Thor'], license: ['perl_5'], 'meta-spec': { version: 2 }, dynamic_config: 0, release_status: 'stable', generated_by: 'hand', resources: { repository: { url: 'https://github.com/example/foo-bar.git', type: 'git' } } };
  const bytes = tgz([
    { name: `${root}/`, type: '5' },
    { name: `${root}/META.json`, content: JSON.stringify(meta) },
    { name: `${root}/lib/Foo/Bar.pm`, content: `package Foo::Bar; our $VERSION = '${version}'; 1;${extra}\n` },
  ]);
  return { file: `${root}.tar.gz`, bytes };
}

export function newKey(): SigningKey & { privatePem: string; publicPem: string } {
  const k = generateSigningKey();
  return { ...readSigningKey(k.privatePem, 'test'), privatePem: k.privatePem, publicPem: k.publicPem };
}

export async function signed(r: { file: string; bytes: Buffer }, key: SigningKey, author = 'ETHER', predicate: 'slsa' | 'release' = 'slsa') {
  const facts = { ...(await tarballFacts(r.bytes, r.file)), author };
  return signRelease({ bytes: r.bytes, facts, key, predicate, now: new Date('2026-12-01T00:00:00Z') });
}

export { createPrivateKey };
