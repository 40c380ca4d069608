/**
 * Signing a release: the facts about the tarball (its name and SHA-256, the distribution and
 * version from its file name, the source repository from its META), an in-toto statement with
 * the chosen predicate, a DSSE envelope signed with the author's Ed25519 key, in a Sigstore
 * bundle v0.3 with public-key verification material.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { distributionRoot, readArchiveBuffer } from '../../archive/index.js';
import { distnameInfo, parseMeta } from '../../perl/index.js';
import { keyBundle, type SerializedKeyBundle } from './bundle.js';
import { IN_TOTO_PAYLOAD_TYPE, signEnvelope } from './dsse.js';
import type { SigningKey } from './keys.js';
import { RELEASE_PREDICATE_V1, releasePredicate, SLSA_PROVENANCE_V1, slsaPredicate, type ReleaseFacts } from './predicate.js';
import { statementFor } from './statement.js';

export type PredicateKind = 'slsa' | 'release';

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** What the tarball itself says: distribution and version (CPAN::DistnameInfo rules), META's repository. */
export async function tarballFacts(bytes: Buffer, file: string): Promise<ReleaseFacts> {
  const name = path.basename(file);
  const [dist, version] = distnameInfo(name.replace(/\.(tar\.gz|tgz|tar\.bz2|tar|zip)$/i, ''));
  const facts: ReleaseFacts = { file: name, ...(dist ? { distribution: dist } : {}), ...(version ? { version } : {}) };
  const isMeta = (p: string) => /^[^/]+\/META\.(json|yml)$/.test(p);
  const archive = await readArchiveBuffer(bytes, file, { keep: isMeta });
  const root = distributionRoot(archive);
  for (const metaName of ['META.json', 'META.yml']) {
    const text = root !== undefined ? archive.contents.get(`${root}/${metaName}`) : undefined;
    if (!text) continue;
    try {
      const meta = parseMeta(text.toString('utf8'), `${file}:${metaName}`);
      const repo = meta.resources.repository?.url ?? meta.resources.repository?.web;
      if (repo) facts.repository = repo;
      if (meta.name) facts.distribution = meta.name;
      if (meta.version) facts.version = meta.version;
    } catch {
      // a broken META says nothing; the file name still does
    }
    break;
  }
  return facts;
}

export interface SignOptions {
  bytes: Buffer;
  facts: ReleaseFacts;
  key: SigningKey;
  predicate: PredicateKind;
  now: Date;
}

export function signRelease(o: SignOptions): SerializedKeyBundle {
  const digest = sha256Hex(o.bytes);
  const [type, predicate] = o.predicate === 'slsa' ? [SLSA_PROVENANCE_V1, slsaPredicate(o.facts, o.now)] : [RELEASE_PREDICATE_V1, releasePredicate(o.facts, o.now)];
  const statement = statementFor(o.facts.file, digest, type, predicate);
  const envelope = signEnvelope(IN_TOTO_PAYLOAD_TYPE, Buffer.from(JSON.stringify(statement)), o.key.privateKey, o.key.keyId);
  return keyBundle(envelope, o.key.keyId);
}
