/**
 * A throwaway Sigstore for the keyless tests: a Fulcio-like CA (root and intermediate, ECDSA P-256),
 * leaf certificates carrying the signer's identity as a SAN and its OIDC issuer in Fulcio's
 * extensions (1.3.6.1.4.1.57264.1.1, raw; 1.3.6.1.4.1.57264.1.8, a DER UTF8String), a Rekor-like log
 * (dsse v0.0.1 entries, a signed entry timestamp over the canonical JSON Rekor signs, an RFC 6962
 * inclusion proof under a signed-note checkpoint) and the trusted_root.json naming both. The
 * certificates are made by @peculiar/x509 (a test-only dependency); everything else is node:crypto.
 */
// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API
import 'reflect-metadata';
import { createHash, createPrivateKey, sign, webcrypto, type KeyObject } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import { canonicalize } from '@tufjs/canonical-json';
import { IN_TOTO_PAYLOAD_TYPE, pae, sha256Hex, statementFor, RELEASE_PREDICATE_V1 } from '../../src/provenance/attestation/index.js';
import { inclusionProof, leafHash, memoryHashReader, rootOf } from '../../src/provenance/index.js';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const FULCIO_ISSUER_V1 = '1.3.6.1.4.1.57264.1.1';
const FULCIO_ISSUER_V2 = '1.3.6.1.4.1.57264.1.8';
const EC = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIG = { name: 'ECDSA', hash: 'SHA-256' } as const;
export const LOG_URL = 'https://rekor.sigstore.test';
const LOG_ORIGIN = 'rekor.sigstore.test - 1193050959916656506';

interface Pair {
  keys: CryptoKeyPair;
  node: KeyObject;
  spki: Buffer;
}

async function pair(): Promise<Pair> {
  const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const spki = Buffer.from(await webcrypto.subtle.exportKey('spki', keys.publicKey));
  return { keys, node: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }), spki };
}

const der = (c: x509.X509Certificate) => Buffer.from(c.rawData);
const pem = (c: x509.X509Certificate) => c.toString('pem');
/** a DER UTF8String, as Fulcio writes the v2 issuer extension */
function utf8String(s: string): Buffer {
  const b = Buffer.from(s, 'utf8');
  if (b.length > 127) throw new Error('issuer too long for this helper');
  return Buffer.concat([Buffer.from([0x0c, b.length]), b]);
}

export interface LeafOptions {
  identity: string;
  issuer: string;
  notBefore?: Date;
  notAfter?: Date;
  /** sign with another CA than the trusted one */
  ca?: Ca;
}

export class Ca {
  private constructor(
    readonly root: x509.X509Certificate,
    readonly intermediate: x509.X509Certificate,
    private readonly intermediateKey: Pair,
  ) {}

  static async create(name = 'sigstore.test'): Promise<Ca> {
    const rootKey = await pair();
    const interKey = await pair();
    const notBefore = new Date(Date.now() - 365 * 86_400_000);
    const notAfter = new Date(Date.now() + 365 * 86_400_000);
    const root = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: '01',
      name: `O=${name}, CN=${name}`,
      notBefore,
      notAfter,
      keys: rootKey.keys,
      signingAlgorithm: SIG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(rootKey.keys.publicKey),
      ],
    });
    const intermediate = await x509.X509CertificateGenerator.create({
      serialNumber: '02',
      subject: `O=${name}, CN=${name}-intermediate`,
      issuer: root.subject,
      notBefore,
      notAfter,
      publicKey: interKey.keys.publicKey,
      signingKey: rootKey.keys.privateKey,
      signingAlgorithm: SIG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(interKey.keys.publicKey),
        await x509.AuthorityKeyIdentifierExtension.create(rootKey.keys.publicKey),
      ],
    });
    return new Ca(root, intermediate, interKey);
  }

  /** A short-lived code-signing certificate for `identity` (an e-mail, or a URI such as a CI workflow). */
  async leaf(o: LeafOptions, key: Pair): Promise<x509.X509Certificate> {
    const notBefore = o.notBefore ?? new Date(Date.now() - 60_000);
    const san = /^[a-z][a-z0-9+.-]*:\/\//i.test(o.identity) ? { type: 'url' as const, value: o.identity } : { type: 'email' as const, value: o.identity };
    return x509.X509CertificateGenerator.create({
      serialNumber: createHash('sha256').update(o.identity + notBefore.toISOString() + Math.random()).digest('hex').slice(0, 16),
      subject: '',
      issuer: this.intermediate.subject,
      notBefore,
      notAfter: o.notAfter ?? new Date(notBefore.getTime() + 10 * 60_000),
      publicKey: key.keys.publicKey,
      signingKey: this.intermediateKey.keys.privateKey,
      signingAlgorithm: SIG,
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.codeSigning]),
        new x509.SubjectAlternativeNameExtension([san], true),
        await x509.AuthorityKeyIdentifierExtension.create(this.intermediateKey.keys.publicKey),
        new x509.Extension(FULCIO_ISSUER_V1, false, new Uint8Array(Buffer.from(o.issuer, 'ascii'))),
        new x509.Extension(FULCIO_ISSUER_V2, false, new Uint8Array(utf8String(o.issuer))),
      ],
    });
  }
}

/** A Rekor-like log: entries (the signed entry timestamp and an inclusion proof under a checkpoint). */
export class Log {
  readonly leaves: Buffer[] = [];
  private constructor(readonly key: Pair) {}

  static async create(): Promise<Log> {
    const log = new Log(await pair());
    // entries of others before ours, so that the proof has hashes on both sides
    for (let i = 0; i < 6; i++) log.leaves.push(leafHash(Buffer.from(`someone else's entry ${i}`)));
    return log;
  }

  get logId(): Buffer {
    return createHash('sha256').update(this.key.spki).digest();
  }

  /** The bundle's tlog entry for a DSSE envelope signed by `cert`, integrated at `time`. */
  entry(body: Buffer, time: Date): Record<string, unknown> {
    const index = this.leaves.length;
    this.leaves.push(leafHash(body));
    this.leaves.push(leafHash(Buffer.from('a later entry')));
    const size = this.leaves.length;
    const integratedTime = Math.floor(time.getTime() / 1000);
    const set = sign('sha256', Buffer.from(canonicalize({ body: body.toString('base64'), integratedTime, logIndex: index, logID: this.logId.toString('hex') })), this.key.node);
    const root = rootOf(this.leaves);
    return {
      logIndex: String(index),
      logId: { keyId: this.logId.toString('base64') },
      kindVersion: { kind: 'dsse', version: '0.0.1' },
      integratedTime: String(integratedTime),
      inclusionPromise: { signedEntryTimestamp: set.toString('base64') },
      inclusionProof: { logIndex: String(index), rootHash: root.toString('base64'), treeSize: String(size), hashes: [] as string[], checkpoint: { envelope: this.checkpoint(size, root) } },
      canonicalizedBody: body.toString('base64'),
    };
  }

  /** fill in the proof hashes (async: the project's proof code reads through a hash reader) */
  async prove(entry: Record<string, unknown>): Promise<void> {
    const p = entry.inclusionProof as { logIndex: string; treeSize: string; hashes: string[] };
    const leaves = this.leaves.slice(0, Number(p.treeSize));
    p.hashes = (await inclusionProof(memoryHashReader(leaves), Number(p.logIndex), leaves.length)).map((h) => h.toString('base64'));
  }

  /** A signed note: the checkpoint body, signed by the log key (key hint: the first 4 bytes of the log id). */
  checkpoint(size: number, root: Buffer): string {
    const body = `${LOG_ORIGIN}\n${size}\n${root.toString('base64')}\n`;
    const sig = sign('sha256', Buffer.from(body), this.key.node);
    return `${body}\n\u2014 rekor.sigstore.test ${Buffer.concat([this.logId.subarray(0, 4), sig]).toString('base64')}\n`;
  }
}

export interface Sigstore {
  ca: Ca;
  log: Log;
  trustedRoot: Record<string, unknown>;
}

export async function throwawaySigstore(): Promise<Sigstore> {
  const ca = await Ca.create();
  const log = await Log.create();
  const start = new Date(Date.now() - 365 * 86_400_000).toISOString();
  const trustedRoot = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: LOG_URL, hashAlgorithm: 'SHA2_256', publicKey: { rawBytes: log.key.spki.toString('base64'), keyDetails: 'PKIX_ECDSA_P256_SHA_256', validFor: { start } }, logId: { keyId: log.logId.toString('base64') } }],
    certificateAuthorities: [{ subject: { organization: 'sigstore.test', commonName: 'sigstore.test' }, uri: 'https://fulcio.sigstore.test', certChain: { certificates: [{ rawBytes: der(ca.intermediate).toString('base64') }, { rawBytes: der(ca.root).toString('base64') }] }, validFor: { start } }],
    ctlogs: [],
    timestampAuthorities: [],
  };
  return { ca, log, trustedRoot };
}

export interface KeylessOptions extends LeafOptions {
  /** when the log integrated the entry (default: now) */
  integratedAt?: Date;
  author?: string;
}

/**
 * Sign a release keyless, as `cosign attest-blob` / sigstore-js would after an OIDC login: a fresh
 * key, a certificate for it, a DSSE envelope over the in-toto statement, a Rekor entry for the
 * envelope; returned as a Sigstore bundle v0.3 (JSON).
 */
export async function signKeyless(s: Sigstore, release: { file: string; bytes: Buffer }, o: KeylessOptions): Promise<Record<string, unknown>> {
  const key = await pair();
  const cert = await (o.ca ?? s.ca).leaf(o, key);
  const statement = statementFor(release.file, sha256Hex(release.bytes), RELEASE_PREDICATE_V1, { author: o.author ?? 'ETHER', file: release.file });
  const payload = Buffer.from(JSON.stringify(statement));
  const sig = sign('sha256', pae(IN_TOTO_PAYLOAD_TYPE, payload), key.node);
  const envelope = { payload: payload.toString('base64'), payloadType: IN_TOTO_PAYLOAD_TYPE, signatures: [{ keyid: '', sig: sig.toString('base64') }] };
  const body = Buffer.from(
    JSON.stringify({
      apiVersion: '0.0.1',
      kind: 'dsse',
      spec: {
        envelopeHash: { algorithm: 'sha256', value: createHash('sha256').update(JSON.stringify(envelope)).digest('hex') },
        payloadHash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') },
        signatures: [{ signature: sig.toString('base64'), verifier: Buffer.from(pem(cert)).toString('base64') }],
      },
    }),
  );
  const entry = s.log.entry(body, o.integratedAt ?? new Date());
  await s.log.prove(entry);
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: { certificate: { rawBytes: der(cert).toString('base64') }, tlogEntries: [entry] },
    dsseEnvelope: envelope,
  };
}
