/**
 * Verifying a release against its bundle, as a list of named checks a user can read: the
 * bundle's shape, the payload type, the signature, the statement, the subject's digest and name,
 * and that the signing key is the PAUSE author's. Every failure has its own exact reason; after a
 * failed signature nothing of the payload is believed, so the checks stop there.
 */
import type { KeyObject } from 'node:crypto';
import { IN_TOTO_PAYLOAD_TYPE } from './dsse.js';
import type { ParsedBundle } from './bundle.js';
import { keyIdOf } from './keys.js';
import { predicateAuthor } from './predicate.js';
import { bundleKeyHint, signerKind, verifyWithSigstore, type SigstoreVerifyOptions } from './sigstore.js';
import { parseStatement, type Statement } from './statement.js';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export type KeyStatus = 'active' | 'retired' | 'revoked';

/** A key the verifier may accept: given on the command line, or registered for an author. */
export interface TrustedKey {
  publicKey: KeyObject;
  keyId: string;
  /** where the key comes from, for messages ("--key FILE", "the server's keys of ETHER") */
  source: string;
  /** the PAUSE id it is registered to, when from the server */
  author?: string;
  status: KeyStatus;
  /** when and why it was revoked or retired */
  changedAt?: string;
  reason?: string;
}

export interface VerifyReleaseInput {
  bundle: ParsedBundle;
  /** the tarball's file name and SHA-256 (hex) */
  artifact: { name: string; sha256: string; bytes?: Buffer };
  /** the keys to accept; for a public-key bundle the one its hint names is used */
  keys: TrustedKey[];
  /** the PAUSE author the release must come from (else the one the statement names) */
  author?: string;
  /** for keyless bundles */
  keyless?: Pick<SigstoreVerifyOptions, 'trustedRoot' | 'identity' | 'issuer'>;
}

export interface VerifyReleaseResult {
  ok: boolean;
  checks: Check[];
  statement?: Statement;
  keyId?: string;
  author?: string;
}

export function verifyRelease(input: VerifyReleaseInput): VerifyReleaseResult {
  const checks: Check[] = [];
  const done = (extra: Partial<VerifyReleaseResult> = {}): VerifyReleaseResult => ({ ok: checks.every((c) => c.ok), checks, ...extra });
  const fail = (name: string, detail: string) => {
    checks.push({ name, ok: false, detail });
    return done();
  };
  const pass = (name: string, detail: string) => checks.push({ name, ok: true, detail });

  const { bundle } = input.bundle;
  const kind = signerKind(bundle);
  if (bundle.content.$case !== 'dsseEnvelope') return fail('envelope', 'the bundle holds a bare message signature, not a DSSE attestation');
  const env = bundle.content.dsseEnvelope;
  pass('bundle', `${bundle.mediaType}, DSSE envelope, ${kind === 'public-key' ? `public key ${bundleKeyHint(bundle) || '(no hint)'}` : 'certificate'}`);
  if (env.payloadType !== IN_TOTO_PAYLOAD_TYPE) return fail('payload type', `the envelope's payload type is ${JSON.stringify(env.payloadType)}, not ${IN_TOTO_PAYLOAD_TYPE}`);
  pass('payload type', IN_TOTO_PAYLOAD_TYPE);

  let key: TrustedKey | undefined;
  if (kind === 'public-key') {
    const hint = bundleKeyHint(bundle) ?? '';
    if (input.keys.length === 0) return fail('signing key', 'no key to verify with (give --key FILE, or --server URL to use the author\'s registered keys)');
    key = input.keys.find((k) => k.keyId === hint) ?? (hint === '' && input.keys.length === 1 ? input.keys[0] : undefined);
    if (!key) {
      const known = input.keys.map((k) => k.keyId.slice(0, 16)).join(', ');
      return fail('signing key', `the bundle names key ${hint.slice(0, 64) || '(none)'}, which is not ${input.keys.length === 1 ? `the key of ${input.keys[0]!.source} (${known}…)` : `among ${input.keys[0]!.source} (${known}…)`}`);
    }
    pass('signing key', `${key.keyId} (${key.source})`);
  }
  const sig = verifyWithSigstore(bundle, { ...input.keyless, ...(key ? { key: key.publicKey } : {}), ...(input.artifact.bytes ? { artifact: input.artifact.bytes } : {}) });
  if (!sig.ok) return fail('signature', sig.reason === 'SIGNATURE_ERROR: signature verification failed' && key ? `the signature does not verify with key ${key.keyId}` : sig.reason);
  pass('signature', sig.detail);

  const statement = parseStatement(Buffer.from(env.payload));
  if (typeof statement === 'string') return fail('statement', statement);
  pass('statement', `in-toto Statement v1, predicate ${statement.predicateType}`);

  const subject = statement.subject.find((s) => s.digest?.sha256?.toLowerCase() === input.artifact.sha256);
  if (!subject) {
    const named = statement.subject.map((s) => `${s.name ?? '?'} sha256:${(s.digest?.sha256 ?? 'none').slice(0, 64)}`).slice(0, 3).join('; ');
    return fail('subject digest', `no subject has the tarball's sha256:${input.artifact.sha256} (the statement is about ${named})`);
  }
  pass('subject digest', `sha256:${input.artifact.sha256}`);
  const subjectName = (subject.name ?? '').split('/').pop();
  if (subjectName !== input.artifact.name) return fail('subject name', `the subject is named ${JSON.stringify(subject.name ?? '')}, the tarball ${JSON.stringify(input.artifact.name)}`);
  pass('subject name', input.artifact.name);

  const claimed = predicateAuthor(statement.predicateType, statement.predicate)?.toUpperCase();
  const author = input.author?.toUpperCase() ?? claimed;
  const extra = { statement, ...(key ? { keyId: key.keyId } : {}), ...(author ? { author } : {}) };
  if (kind === 'certificate') {
    if (input.author && claimed && claimed !== input.author.toUpperCase()) return { ...fail('author', `the statement names PAUSE author ${claimed}, not ${input.author.toUpperCase()}`), ...extra };
    pass('author', `signer identity ${sig.signer.identity?.subjectAlternativeName ?? '?'} (checked against --certificate-identity)`);
    return done(extra);
  }
  if (input.author && claimed && claimed !== input.author.toUpperCase()) return { ...fail('author', `the statement names PAUSE author ${claimed}, not ${input.author.toUpperCase()}`), ...extra };
  if (key!.author === undefined) {
    pass('author', `${author ? `${author}: ` : ''}the key given with ${key!.source} (its owner is not checked against the server)`);
    return done(extra);
  }
  if (!author) return { ...fail('author', 'the statement names no PAUSE author (sign with --author, or verify with --author ID)'), ...extra };
  if (key!.author !== author) return { ...fail('author', `key ${key!.keyId} is registered to ${key!.author}, not to ${author}`), ...extra };
  if (key!.status === 'revoked') return { ...fail('author', `key ${key!.keyId} of ${author} was revoked${key!.changedAt ? ` on ${key!.changedAt}` : ''}${key!.reason ? `: ${key!.reason}` : ''}`), ...extra };
  pass('author', `key ${key!.keyId.slice(0, 16)}… is ${author}'s ${key!.status === 'retired' ? `(retired${key!.changedAt ? ` on ${key!.changedAt}` : ''}, not revoked)` : 'current key'} on the server`);
  return done(extra);
}

export function trustedKeyFromFile(publicKey: KeyObject, file: string): TrustedKey {
  return { publicKey, keyId: keyIdOf(publicKey), source: `--key ${file}`, status: 'active' };
}
