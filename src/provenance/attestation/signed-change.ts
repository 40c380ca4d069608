/**
 * An author's own key change, without an administrator: the request is a DSSE envelope whose
 * payload is the change (with the time it was made) and whose signature is by one of the author's
 * active keys. A rotation is thus authorised by the key it retires, a revocation by any active key
 * (a lost key is revoked with the other, or by an administrator). The time bounds a replay; the
 * append-only state makes a replayed change fail anyway (a key is added or retired only once).
 */
import { verify } from 'node:crypto';
import { CpansecError } from '../../errors.js';
import { pae, signEnvelope, type Envelope } from './dsse.js';
import { readPublicKey, type SigningKey } from './keys.js';
import type { AuthorKey, KeyChangeRequest } from './registry.js';

export const KEY_CHANGE_PAYLOAD_TYPE = 'application/vnd.cpansec.author-key-change+json';
/** how far the change's time may be from the server's clock */
export const KEY_CHANGE_WINDOW_MS = 10 * 60_000;

export function signKeyChange(req: KeyChangeRequest, key: SigningKey, now: Date): Envelope {
  return signEnvelope(KEY_CHANGE_PAYLOAD_TYPE, Buffer.from(JSON.stringify({ ...req, at: now.toISOString() })), key.privateKey, key.keyId);
}

const forbidden = (m: string) => new CpansecError('FORBIDDEN', m);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The change a signed envelope asks for, after checking it is signed by an active key of `author`. */
export function openKeyChange(body: unknown, author: string, keys: readonly AuthorKey[], now: Date): { req: KeyChangeRequest; signer: string } {
  if (!isObj(body) || typeof body.payload !== 'string' || typeof body.payloadType !== 'string' || !Array.isArray(body.signatures)) {
    throw new CpansecError('USAGE', 'the body is not a DSSE envelope (payload, payloadType, signatures)');
  }
  if (body.payloadType !== KEY_CHANGE_PAYLOAD_TYPE) throw new CpansecError('USAGE', `payloadType must be ${KEY_CHANGE_PAYLOAD_TYPE}`);
  const payload = Buffer.from(body.payload, 'base64');
  const message = pae(KEY_CHANGE_PAYLOAD_TYPE, payload);
  let signer: AuthorKey | undefined;
  for (const s of body.signatures.slice(0, 8) as unknown[]) {
    if (!isObj(s) || typeof s.sig !== 'string') continue;
    const candidates = keys.filter((k) => k.status === 'active' && (typeof s.keyid !== 'string' || s.keyid === '' || s.keyid === k.keyId));
    signer = candidates.find((k) => verify(null, message, readPublicKey(k.publicKey, 'registry'), Buffer.from(s.sig as string, 'base64')));
    if (signer) break;
  }
  if (!signer) throw forbidden(`the change is not signed by an active key of ${author}`);
  let doc: unknown;
  try {
    doc = JSON.parse(payload.toString('utf8'));
  } catch {
    throw new CpansecError('USAGE', 'the payload is not JSON');
  }
  if (!isObj(doc)) throw new CpansecError('USAGE', 'the payload is not a JSON object');
  if (String(doc.author ?? '').toUpperCase() !== author) throw forbidden(`the change is for ${String(doc.author)}, not ${author}`);
  const at = Date.parse(String(doc.at ?? ''));
  if (!Number.isFinite(at) || Math.abs(now.getTime() - at) > KEY_CHANGE_WINDOW_MS) throw forbidden('the change is not dated within 10 minutes of the server\'s clock');
  const str = (k: string) => (typeof doc[k] === 'string' ? (doc[k] as string) : undefined);
  const reason = str('reason');
  let req: KeyChangeRequest;
  if (doc.action === 'rotate' && str('previousKeyId') && str('publicKey')) req = { action: 'rotate', author, previousKeyId: str('previousKeyId')!, publicKey: str('publicKey')!, ...(reason ? { reason } : {}) };
  else if (doc.action === 'revoke' && str('keyId')) req = { action: 'revoke', author, keyId: str('keyId')!, ...(reason ? { reason } : {}) };
  else if (doc.action === 'add' && str('publicKey')) req = { action: 'add', author, publicKey: str('publicKey')! };
  else throw new CpansecError('USAGE', 'the change needs action add (publicKey), rotate (previousKeyId, publicKey) or revoke (keyId)');
  return { req, signer: signer.keyId };
}
