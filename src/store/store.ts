/**
 * The store: one database (SQLite or PostgreSQL) behind the AdvisoryRepository interface of the
 * index, plus what other parts need to add their own tables and transactions.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Advisory, AdvisoryDatabase } from '../advisory/index.js';
import type {
  AdvisoryRepository,
  ImportSource,
  PublishedDatabase,
  RevisionInfo,
} from '../index/index.js';
import { connect, type StoreLocation } from './connect.js';
import { migrate } from './migrate.js';
import { MIGRATIONS, type Dialect, type StoreMigration } from './migrations/index.js';
import { isScheduled } from './public.js';
import { readDatabase } from './read.js';
import type { StoreSchema } from './schema.js';
import type { ImportOptions } from './import-guard.js';
import { currentRevision, publishLocal, readHistory, replaceImported, withdrawPublished, type HistoryEntry, type StoreImportResult } from './write.js';

export interface OpenStoreOptions extends StoreLocation {
  /** default: MIGRATIONS */
  migrations?: readonly StoreMigration[];
}

type ChangeListener = (revision: number) => void;

export class Store implements AdvisoryRepository {
  private readonly listeners = new Set<ChangeListener>();

  private constructor(
    readonly db: Kysely<StoreSchema>,
    readonly dialect: Dialect,
    /** the SQLite file or the PostgreSQL URL without password */
    readonly description: string,
  ) {}

  static async open(options: OpenStoreOptions = {}): Promise<Store> {
    const c = await connect(options);
    try {
      await migrate(c.db as Kysely<unknown>, c.dialect, options.migrations ?? MIGRATIONS);
    } catch (e) {
      await c.db.destroy();
      throw e;
    }
    return new Store(c.db, c.dialect, c.description);
  }

  /** Run `fn` in one transaction; other parts use this for their own writes. */
  transaction<T>(fn: (trx: Transaction<StoreSchema>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  /** Called after a write of this process commits (other processes are seen by polling `revision`). */
  onChange(listener: ChangeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(revision: number): void {
    for (const l of this.listeners) l(revision);
  }

  revision(): Promise<number> {
    return currentRevision(this.db);
  }

  async lastImport(): Promise<RevisionInfo | undefined> {
    const row = await this.db
      .selectFrom('revisions')
      .select(['revision', 'at', 'kind', 'source', 'sha256', 'etag'])
      .where('kind', '=', 'import')
      .orderBy('revision', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row;
  }

  async loadPublished(now: Date): Promise<PublishedDatabase> {
    const read = async (db: Kysely<StoreSchema>): Promise<PublishedDatabase> => {
      const revision = await currentRevision(db);
      const { database, times } = await readDatabase(db, { publicAt: now });
      const last = await db.selectFrom('revisions').select('at').where('revision', '=', revision).executeTakeFirst();
      const next = await db
        .selectFrom('advisories')
        .select((eb) => eb.fn.min('published_at').as('at'))
        .where(isScheduled(now))
        .executeTakeFirst();
      database.meta = { ...database.meta, revision };
      return {
        revision,
        database,
        times,
        updated: last?.at ?? now.toISOString(),
        ...(next?.at ? { nextChange: String(next.at) } : {}),
      };
    };
    // one consistent snapshot of all the tables
    if (this.dialect === 'postgres') return this.db.transaction().setIsolationLevel('repeatable read').execute(read);
    return this.db.transaction().execute(read);
  }

  /**
   * Replace the imported database (AdvisoryRepository); a database with no release lists or no
   * module map keeps the stored ones, and one that drops most of them needs `force`.
   */
  async replaceDatabase(db: AdvisoryDatabase, source: ImportSource, now: Date, options: ImportOptions = {}): Promise<StoreImportResult> {
    const result = await replaceImported(this.db, db, source, now, options);
    if (result.written) this.changed(result.revision);
    return result;
  }

  async publishAdvisory(advisory: Advisory, now: Date, options?: { publishAt?: Date; by?: string }): Promise<number> {
    const revision = await publishLocal(this.db, advisory, now, options);
    this.changed(revision);
    return revision;
  }

  /** Withdraw a published advisory (see write.ts withdrawPublished); returns the new revision and the withdrawn entries. */
  async withdrawAdvisory(id: string, reason: string, now: Date, options?: { by?: string }): Promise<{ revision: number; advisories: Advisory[] }> {
    const result = await withdrawPublished(this.db, id, reason, now, options);
    this.changed(result.revision);
    return result;
  }

  /** What changed when, per advisory (all, or one id's), oldest first. */
  history(id?: string): Promise<HistoryEntry[]> {
    return readHistory(this.db, id);
  }

  async getSetting(key: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
    return row?.value;
  }

  async setSetting(key: string, value: string): Promise<void> {
    await this.transaction(async (trx) => {
      await trx.deleteFrom('settings').where('key', '=', key).execute();
      await trx.insertInto('settings').values({ key, value }).execute();
    });
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.db.destroy();
  }
}
