/**
 * The TUF repository's store (migration 0301): metadata documents appended in one transaction
 * with the targets they add, read back as the latest version of each role, every root, or one
 * version of one role (what the HTTP layer serves). Two writers that both made version N of a role
 * collide on the primary key: one commits, the other is told to try again.
 */
import type { Kysely } from 'kysely';
import type { TufDocument } from '../../provenance/tuf/index.js';
import { CpansecError } from '../../errors.js';
import type { Dialect } from '../migrations/index.js';
import type { StoreSchema } from '../schema.js';

export interface TufSchema {
  tuf_metadata: { role: string; version: number; json: string; created_at: string };
  tuf_targets: { path: string; sha256: string; length: number; added_at: string };
  tuf_blobs: { sha256: string; bytes: Buffer };
  tuf_pending: { role: string; json: string; created_at: string };
}

type Db = Kysely<TufSchema>;

export interface StoredTarget {
  path: string;
  sha256: string;
  length: number;
  bytes: Buffer;
}

export class SqlTufStore {
  private readonly db: Db;

  constructor(
    db: Kysely<StoreSchema>,
    readonly dialect: Dialect,
  ) {
    this.db = db as unknown as Db;
  }

  async isEmpty(): Promise<boolean> {
    return !(await this.db.selectFrom('tuf_metadata').select('role').limit(1).executeTakeFirst());
  }

  /** The latest document of each role, every root in version order, and the roles awaiting their author. */
  async latest(): Promise<{ latest: Map<string, string>; roots: string[]; pending: Map<string, string> }> {
    const heads = await this.db
      .selectFrom('tuf_metadata as m')
      .select(['m.role', 'm.json'])
      .where(({ eb, selectFrom }) => eb('m.version', '=', selectFrom('tuf_metadata as n').select((x) => x.fn.max('n.version').as('v')).whereRef('n.role', '=', 'm.role')))
      .execute();
    const roots = await this.db.selectFrom('tuf_metadata').select('json').where('role', '=', 'root').orderBy('version').execute();
    const pending = await this.db.selectFrom('tuf_pending').select(['role', 'json']).execute();
    return { latest: new Map(heads.map((h) => [h.role, h.json])), roots: roots.map((r) => r.json), pending: new Map(pending.map((p) => [p.role, p.json])) };
  }

  /** The version of an author's role awaiting their signature (JSON metadata, no signatures). */
  async pending(role: string): Promise<string | undefined> {
    return (await this.db.selectFrom('tuf_pending').select('json').where('role', '=', role).executeTakeFirst())?.json;
  }

  async document(role: string, version?: number): Promise<string | undefined> {
    let q = this.db.selectFrom('tuf_metadata').select('json').where('role', '=', role);
    q = version === undefined ? q.orderBy('version', 'desc').limit(1) : q.where('version', '=', version);
    return (await q.executeTakeFirst())?.json;
  }

  async allDocuments(): Promise<TufDocument[]> {
    return (await this.db.selectFrom('tuf_metadata').select(['role', 'version', 'json']).orderBy('role').orderBy('version').execute()).map((r) => ({ ...r, version: Number(r.version) }));
  }

  /** Append documents (and the targets they name), and set or withdraw pending author roles, in one transaction. */
  async save(docs: readonly TufDocument[], targets: readonly StoredTarget[] = [], now = new Date(), pending: readonly { role: string; json: string | null }[] = []): Promise<void> {
    const at = now.toISOString();
    try {
      await this.db.transaction().execute(async (trx) => {
        for (const p of pending) {
          await trx.deleteFrom('tuf_pending').where('role', '=', p.role).execute();
          if (p.json !== null) await trx.insertInto('tuf_pending').values({ role: p.role, json: p.json, created_at: at }).execute();
        }
        for (const t of targets) {
          const has = await trx.selectFrom('tuf_blobs').select('sha256').where('sha256', '=', t.sha256).executeTakeFirst();
          if (!has) await trx.insertInto('tuf_blobs').values({ sha256: t.sha256, bytes: t.bytes }).execute();
          await trx.deleteFrom('tuf_targets').where('path', '=', t.path).execute();
          await trx.insertInto('tuf_targets').values({ path: t.path, sha256: t.sha256, length: t.length, added_at: at }).execute();
        }
        // in chunks: a hashed-bin repository starts with thousands of documents
        for (let i = 0; i < docs.length; i += 200) {
          await trx.insertInto('tuf_metadata').values(docs.slice(i, i + 200).map((d) => ({ role: d.role, version: d.version, json: d.json, created_at: at }))).execute();
        }
      });
    } catch (e) {
      const code = String((e as { code?: unknown }).code ?? '');
      if (code === '23505' || code.startsWith('SQLITE_CONSTRAINT') || code.startsWith('SQLITE_BUSY')) {
        throw new CpansecError('CONFLICT', 'the TUF repository changed meanwhile; try again', { file: 'store', cause: e });
      }
      throw e;
    }
  }

  /** A target's bytes by its path, when stored. */
  async target(path: string): Promise<StoredTarget | undefined> {
    const row = await this.db.selectFrom('tuf_targets as t').innerJoin('tuf_blobs as b', 'b.sha256', 't.sha256').select(['t.path', 't.sha256', 't.length', 'b.bytes']).where('t.path', '=', path).executeTakeFirst();
    return row ? { path: row.path, sha256: row.sha256, length: Number(row.length), bytes: Buffer.from(row.bytes) } : undefined;
  }

  async targetPaths(): Promise<string[]> {
    return (await this.db.selectFrom('tuf_targets').select('path').orderBy('path').execute()).map((r) => r.path);
  }
}
