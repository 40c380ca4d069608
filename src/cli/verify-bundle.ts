/**
 * The --bundle part of `cpansec verify RELEASE --bundle FILE [--key FILE | --server URL]` (verify.ts):
 * check a signed release and print each check. The signer's key comes from --key, or from the server's registered keys of the
 * release's PAUSE author (GET /v1/authors/{PAUSEID}/keys); keyless bundles are checked against
 * --trusted-root, --certificate-identity and --certificate-oidc-issuer.
 * Exit: 0 verified, 1 a check failed, 2 usage or unreadable/malformed input.
 */
import type { KeyObject } from 'node:crypto';
import path from 'node:path';
import { printable } from '../advisory/control/index.js';
import { CpansecError } from '../errors.js';
import { readInputBytes } from '../input-file.js';
import { PAUSE_ID } from './sign.js';

const MAX_RELEASE_BYTES = 256 * 1024 * 1024;
const MAX_KEYS_RESPONSE = 1024 * 1024;

export interface VerifyBundleFlags {
  bundle: string;
  key?: string;
  server?: string;
  author?: string;
  trustedRoot?: string;
  certificateIdentity?: string;
  certificateOidcIssuer?: string;
  format?: string;
}

type Attestation = typeof import('../provenance/attestation/index.js');

/** The author's keys as the server lists them (GET /v1/authors/{PAUSEID}/keys). */
export async function fetchAuthorKeys(a: Attestation, server: string, author: string): Promise<import('../provenance/attestation/index.js').TrustedKey[]> {
  const url = `${server.replace(/\/+$/, '')}/v1/authors/${encodeURIComponent(author)}/keys`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(30_000), headers: { accept: 'application/json' } });
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot fetch the author's keys: ${(e as Error).message}`, { file: url });
  }
  if (res.status === 404) return [];
  if (!res.ok) throw new CpansecError('IO_ERROR', `cannot fetch the author's keys: HTTP ${res.status}`, { file: url });
  const text = await res.text();
  if (text.length > MAX_KEYS_RESPONSE) throw new CpansecError('IO_ERROR', `answer larger than ${MAX_KEYS_RESPONSE} bytes`, { file: url });
  let body: { keys?: unknown };
  try {
    body = JSON.parse(text) as { keys?: unknown };
  } catch {
    throw new CpansecError('PARSE_ERROR', 'the server answered with something that is not JSON', { file: url });
  }
  if (!Array.isArray(body.keys)) throw new CpansecError('PARSE_ERROR', 'the answer has no keys list', { file: url });
  return body.keys.slice(0, 1000).map((k: Record<string, unknown>, i) => {
    let publicKey: KeyObject;
    try {
      publicKey = a.readPublicKey(String(k.publicKey), `${url} keys[${i}]`);
    } catch (e) {
      throw new CpansecError('PARSE_ERROR', (e as Error).message, { file: url });
    }
    const status = k.status === 'revoked' || k.status === 'retired' ? k.status : 'active';
    return {
      publicKey,
      keyId: a.keyIdOf(publicKey),
      source: `the server's keys of ${author}`,
      author,
      status,
      ...(typeof k.changedAt === 'string' ? { changedAt: k.changedAt } : {}),
      ...(typeof k.reason === 'string' ? { reason: k.reason } : {}),
    };
  });
}

export interface BundleVerdict {
  ok: boolean;
  keyId: string | null;
  author: string | null;
  checks: { name: string; ok: boolean; detail: string }[];
}

/** The bundle's checks for a release, without printing. */
export async function checkBundle(release: string, flags: VerifyBundleFlags): Promise<BundleVerdict> {
  const a = await import('../provenance/attestation/index.js');
  const author = flags.author?.toUpperCase();
  if (author !== undefined && !PAUSE_ID.test(author)) throw new CpansecError('USAGE', `--author: '${flags.author}' is not a PAUSE id`);
  if (flags.key && flags.server) throw new CpansecError('USAGE', 'give --key or --server, not both');
  const parsed = a.parseBundle(readInputBytes(flags.bundle, a.MAX_BUNDLE_BYTES + 1), flags.bundle);
  const bytes = readInputBytes(release, MAX_RELEASE_BYTES);
  let keys: import('../provenance/attestation/index.js').TrustedKey[] = [];
  if (flags.key) keys = [a.trustedKeyFromFile(a.readPublicKey(readInputBytes(flags.key, 64 * 1024).toString('utf8'), flags.key), flags.key)];
  else if (flags.server && a.signerKind(parsed.bundle) === 'public-key') {
    // which author's keys to fetch: --author, else the one the (not yet verified) statement names;
    // the author check after the signature binds the two
    let named = author;
    if (!named && parsed.bundle.content.$case === 'dsseEnvelope') {
      const s = a.parseStatement(Buffer.from(parsed.bundle.content.dsseEnvelope.payload));
      if (typeof s !== 'string') named = a.predicateAuthor(s.predicateType, s.predicate)?.toUpperCase();
    }
    if (!named || !PAUSE_ID.test(named)) throw new CpansecError('USAGE', 'the bundle names no PAUSE author: give --author PAUSEID');
    keys = await fetchAuthorKeys(a, flags.server, named);
    if (keys.length === 0) throw new CpansecError('NOT_FOUND', `the server has no keys registered for ${named}`, { file: flags.server });
  }
  const trustedRoot = flags.trustedRoot ? a.parseTrustedRoot(readInputBytes(flags.trustedRoot, 4 * 1024 * 1024), flags.trustedRoot) : undefined;
  const result = a.verifyRelease({
    bundle: parsed,
    artifact: { name: path.basename(release), sha256: a.sha256Hex(bytes), bytes },
    keys,
    ...(author ? { author } : {}),
    keyless: { ...(trustedRoot ? { trustedRoot } : {}), ...(flags.certificateIdentity ? { identity: flags.certificateIdentity } : {}), ...(flags.certificateOidcIssuer ? { issuer: flags.certificateOidcIssuer } : {}) },
  });
  return { ok: result.ok, keyId: result.keyId ?? null, author: result.author ?? null, checks: result.checks };
}

export async function verifyBundle(release: string, flags: VerifyBundleFlags): Promise<number> {
  const result = await checkBundle(release, flags);
  if (flags.format === 'json') {
    process.stdout.write(`${JSON.stringify({ release: path.basename(release), bundle: flags.bundle, verified: result.ok, keyId: result.keyId, author: result.author, checks: result.checks }, null, 2)}\n`);
  } else {
    for (const c of result.checks) process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${printable(c.detail)}\n`);
    process.stdout.write(result.ok ? `verified: ${path.basename(release)}${result.author ? ` by ${result.author}` : ''}\n` : `NOT verified: ${path.basename(release)}\n`);
  }
  return result.ok ? 0 : 1;
}
