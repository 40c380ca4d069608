/**
 * Uploader tokens of the log's write API: the workspace's token form (`cpansec_<prefix>_<secret>`,
 * only the SHA-256 stored, shown once) with one role, `uploader`, bound to a PAUSE id.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { CpansecError } from '../../errors.js';
import type { StoreSchema } from '../schema.js';
import type { ProvenanceDatabase } from './schema.js';

const TOKEN = /^cpansec_([0-9a-z]{8})_([0-9a-z]{52})$/;
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';

function base32(bytes: Buffer, length: number): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out.slice(0, length);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface UploaderToken {
  prefix: string;
  uploader: string;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

export class UploaderTokens {
  private readonly db: Kysely<ProvenanceDatabase>;

  constructor(db: Kysely<StoreSchema>) {
    this.db = db as unknown as Kysely<ProvenanceDatabase>;
  }

  /** A new token for `uploader` (a PAUSE id); the token is returned once and never stored. */
  async create(uploader: string, name: string, now: Date): Promise<string> {
    const prefix = base32(randomBytes(5), 8);
    const token = `cpansec_${prefix}_${base32(randomBytes(33), 52)}`;
    await this.db.insertInto('provenance_uploader_tokens').values({ prefix, hash: sha256(token), uploader, name, created_at: now.toISOString(), revoked_at: null }).execute();
    return token;
  }

  /** The uploader a presented token acts for, or undefined (unknown, revoked, mistyped). */
  async resolve(presented: string): Promise<string | undefined> {
    const m = TOKEN.exec(presented.trim());
    if (!m) return undefined;
    const row = await this.db.selectFrom('provenance_uploader_tokens').selectAll().where('prefix', '=', m[1]!).executeTakeFirst();
    if (!row || row.revoked_at) return undefined;
    const a = Buffer.from(sha256(presented.trim()), 'hex');
    const b = Buffer.from(row.hash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b) ? row.uploader : undefined;
  }

  async list(): Promise<UploaderToken[]> {
    const rows = await this.db.selectFrom('provenance_uploader_tokens').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ prefix: r.prefix, uploader: r.uploader, name: r.name, createdAt: r.created_at, revokedAt: r.revoked_at }));
  }

  async revoke(prefix: string, now: Date): Promise<void> {
    const r = await this.db.updateTable('provenance_uploader_tokens').set({ revoked_at: now.toISOString() }).where('prefix', '=', prefix).where('revoked_at', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) throw new CpansecError('NOT_FOUND', `no active uploader token with prefix ${prefix}`);
  }
}
