/**
 * Signature verification by sigstore-js's verifier (@sigstore/verify): public-key bundles against
 * the key the caller trusts, keyless bundles (Fulcio certificate, Rekor entry) against a trusted
 * root (sigstore_trustroot.proto as JSON), an identity and an issuer. Nothing here re-implements
 * a check of the library; it only chooses the trust material, the thresholds and the policy, and
 * turns the library's errors into one-line reasons.
 */
import type { KeyObject } from 'node:crypto';
import type { Bundle } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier, type Signer, type TrustMaterial } from '@sigstore/verify';
import { CpansecError } from '../../errors.js';

export const MAX_TRUSTED_ROOT_BYTES = 4 * 1024 * 1024;

export type SignerKind = 'public-key' | 'certificate';

export function signerKind(bundle: Bundle): SignerKind {
  return bundle.verificationMaterial.content.$case === 'publicKey' ? 'public-key' : 'certificate';
}

/** The key id a public-key bundle names (its hint), or undefined for a certificate. */
export function bundleKeyHint(bundle: Bundle): string | undefined {
  const c = bundle.verificationMaterial.content;
  return c.$case === 'publicKey' ? c.publicKey.hint : undefined;
}

export function parseTrustedRoot(bytes: Buffer, file: string): TrustedRoot {
  if (bytes.length > MAX_TRUSTED_ROOT_BYTES) throw new CpansecError('PARSE_ERROR', `larger than ${MAX_TRUSTED_ROOT_BYTES} bytes`, { file });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (e) {
    throw new CpansecError('PARSE_ERROR', `not JSON (${(e as Error).message})`, { file });
  }
  const mediaType = (json as { mediaType?: unknown } | null)?.mediaType;
  if (typeof mediaType !== 'string' || !mediaType.startsWith('application/vnd.dev.sigstore.trustedroot')) {
    throw new CpansecError('PARSE_ERROR', 'not a Sigstore trusted root (mediaType application/vnd.dev.sigstore.trustedroot…)', { file });
  }
  try {
    return TrustedRoot.fromJSON(json);
  } catch (e) {
    throw new CpansecError('PARSE_ERROR', `not a valid trusted root: ${(e as Error).message}`, { file });
  }
}

const EMPTY_ROOT = TrustedRoot.fromJSON({ mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1', tlogs: [], certificateAuthorities: [], ctlogs: [], timestampAuthorities: [] });

export interface SigstoreVerifyOptions {
  /** a public-key bundle is checked with this key, whatever its hint says */
  key?: KeyObject;
  trustedRoot?: TrustedRoot;
  /** the certificate's subject alternative name (exact) and OIDC issuer (exact) */
  identity?: string;
  issuer?: string;
  /** the artifact, for message-signature bundles */
  artifact?: Buffer;
}

export type SigstoreResult = { ok: true; signer: Signer; detail: string } | { ok: false; reason: string };

export function verifyWithSigstore(bundle: Bundle, o: SigstoreVerifyOptions): SigstoreResult {
  const kind = signerKind(bundle);
  const root = o.trustedRoot ?? EMPTY_ROOT;
  let material: TrustMaterial;
  let verifier: Verifier;
  try {
    if (kind === 'public-key') {
      if (!o.key) return { ok: false, reason: 'a public-key bundle needs the signer\'s public key' };
      const key = o.key;
      material = toTrustMaterial(root, () => ({ publicKey: key, validFor: () => true }));
      // a key bundle's trust is the key itself; log entries it carries are still checked
      verifier = new Verifier(material, { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 });
    } else {
      if (!o.trustedRoot) return { ok: false, reason: 'a keyless (certificate) bundle needs a trusted root (--trusted-root)' };
      if (!o.identity || !o.issuer) return { ok: false, reason: 'a keyless (certificate) bundle needs the expected identity and OIDC issuer' };
      material = toTrustMaterial(root);
      verifier = new Verifier(material, { tlogThreshold: 1, ctlogThreshold: root.ctlogs.length > 0 ? 1 : 0, timestampThreshold: 1 });
    }
  } catch (e) {
    return { ok: false, reason: `unusable trust material: ${(e as Error).message}` };
  }
  try {
    if (bundle.content.$case === 'messageSignature' && !o.artifact) return { ok: false, reason: 'a message-signature bundle is verified against the artifact itself, not a digest' };
    const entity = toSignedEntity(bundle, o.artifact);
    const signer = verifier.verify(entity);
    if (kind === 'certificate') {
      // the library's policy reads the identity as a regular expression (a@b.c would match
      // xa@bxc.evil); the conformance protocol's --certificate-identity is exact, so compare here
      const san = signer.identity?.subjectAlternativeName;
      const issuer = signer.identity?.extensions?.issuer;
      if (san !== o.identity) return { ok: false, reason: `the certificate's identity is ${JSON.stringify(san ?? null)}, not ${JSON.stringify(o.identity)}` };
      if (issuer !== o.issuer) return { ok: false, reason: `the certificate's OIDC issuer is ${JSON.stringify(issuer ?? null)}, not ${JSON.stringify(o.issuer)}` };
    }
    const detail = kind === 'public-key' ? 'signature verified with the public key' : `certificate of ${signer.identity?.subjectAlternativeName ?? '?'} (issuer ${signer.identity?.extensions?.issuer ?? '?'}) chains to the trusted root; log entry verified`;
    return { ok: true, signer, detail };
  } catch (e) {
    return { ok: false, reason: reasonOf(e) };
  }
}

/** `CODE: message: cause` — the library wraps the precise reason (an expired certificate, no path to the root) in a cause. */
function reasonOf(e: unknown): string {
  const parts: string[] = [];
  for (let x: unknown = e, depth = 0; x instanceof Error && depth < 4; x = (x as { cause?: unknown }).cause, depth++) {
    const code = (x as { code?: string }).code;
    parts.push(depth === 0 && code ? `${code}: ${x.message}` : x.message);
  }
  return parts.join(': ');
}
