/**
 * The author-key registry's store: the append-only `author_key_changes` table (migration 0300).
 * A change is planned against the committed keys and appended in one transaction; two writers
 * racing for the same sequence number or key id lose on the primary key or the unique index, and
 * are told to try again, never both written.
 */
import type { Kysely } from 'kysely';
import type { AuthorKeyStore, KeyChange, KeyChangeRequest } from '../../provenance/attestation/index.js';
import { CpansecError } from '../../errors.js';
import type { Dialect } from '../migrations/index.js';
import type { StoreSchema } from '../schema.js';

export interface AuthorKeyChangesTable {
  seq: number;
  at: string;
  author: string;
  action: string;
  key_id: string;
  public_key: string | null;
  previous_key_id: string | null;
  reason: string | null;
  by: string;
}

export interface AuthorKeysSchema {
  author_key_changes: AuthorKeyChangesTable;
}

type Db = Kysely<AuthorKeysSchema>;

function toChange(r: AuthorKeyChangesTable): KeyChange {
  return { seq: Number(r.seq), at: r.at, author: r.author, action: r.action as KeyChange['action'], keyId: r.key_id, publicKey: r.public_key, previousKeyId: r.previous_key_id, reason: r.reason, by: r.by };
}

export class SqlAuthorKeyStore implements AuthorKeyStore {
  private readonly db: Db;

  constructor(
    db: Kysely<StoreSchema>,
    readonly dialect: Dialect,
  ) {
    this.db = db as unknown as Db;
  }

  async changes(author: string): Promise<KeyChange[]> {
    const rows = await this.db.selectFrom('author_key_changes').selectAll().where('author', '=', author.toUpperCase()).orderBy('seq').execute();
    return rows.map(toChange);
  }

  async log(afterSeq: number, limit: number): Promise<KeyChange[]> {
    const rows = await this.db.selectFrom('author_key_changes').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map(toChange);
  }

  async apply(req: KeyChangeRequest, at: string, by: string): Promise<KeyChange> {
    // loaded here: the attestation part brings sigstore-js, which a store that never changes keys need not load
    const { planKeyChange, foldKeys } = await import('../../provenance/attestation/index.js');
    try {
      return await this.db.transaction().execute(async (trx) => {
        const author = req.author.toUpperCase();
        const mine = (await trx.selectFrom('author_key_changes').selectAll().where('author', '=', author).orderBy('seq').execute()).map(toChange);
        const change = planKeyChange(req, foldKeys(mine), () => false, at, by);
        if (change.action !== 'revoke') {
          const taken = await trx.selectFrom('author_key_changes').select('seq').where('key_id', '=', change.keyId).where('action', '<>', 'revoke').executeTakeFirst();
          if (taken) throw new CpansecError('CONFLICT', `key ${change.keyId} is registered already`);
        }
        const last = await trx.selectFrom('author_key_changes').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
        const seq = Number(last?.seq ?? 0) + 1;
        await trx
          .insertInto('author_key_changes')
          .values({ seq, at: change.at, author: change.author, action: change.action, key_id: change.keyId, public_key: change.publicKey, previous_key_id: change.previousKeyId, reason: change.reason, by: change.by })
          .execute();
        return { seq, ...change };
      });
    } catch (e) {
      if (e instanceof CpansecError) throw e;
      const code = String((e as { code?: unknown }).code ?? '');
      if (code === '23505' || code.startsWith('SQLITE_CONSTRAINT') || code.startsWith('SQLITE_BUSY') || code === '40001') {
        throw new CpansecError('CONFLICT', 'the key registry changed meanwhile; try again', { file: 'store', cause: e });
      }
      throw e;
    }
  }
}
