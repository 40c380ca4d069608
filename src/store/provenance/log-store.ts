/**
 * The provenance log's `LogStore` over the server's SQLite or PostgreSQL database.
 *
 * A batch of entries goes in as one statement with a handful of parameters — arrays unnested on
 * PostgreSQL, a JSON array read by json_each on SQLite — rather than as rows of 7 bound values:
 * building, binding and planning 14,000 parameters a statement was most of an append's time.
 */
import type { Kysely } from 'kysely';
import { EMPTY_ROOT, type LogStore, type LogTx, type LogReader, type NewEntry, type StoredEntry, type TreeHead } from '../../provenance/index.js';
import type { Dialect } from '../migrations/index.js';
import type { StoreSchema } from '../schema.js';
import type { ProvenanceDatabase } from './schema.js';
import { kysely, serialised } from './serial.js';

type Db = Kysely<ProvenanceDatabase>;

/** pg_advisory_xact_lock key of the log ("tlog" in ASCII) */
const LOCK_KEY = 0x74_6c_6f_67;
// entries per statement: bounds one statement's memory
const CHUNK = 8192;
// tile hash rows (3 values each) per statement: under both databases' parameter limits
const HASH_CHUNK = 2000;
const TILE = 256;

function reader(db: Db, dialect: Dialect): LogReader {
  return {
    async treeHead(): Promise<TreeHead> {
      const row = await db.selectFrom('provenance_tree_heads').select(['size', 'root']).orderBy('size', 'desc').limit(1).executeTakeFirst();
      return row ? { size: Number(row.size), root: Buffer.from(row.root, 'hex') } : { size: 0, root: EMPTY_ROOT };
    },
    async readTile(level, index, width) {
      const lo = index * TILE;
      const rows =
        level === 0
          ? await db.selectFrom('provenance_entries').select(['idx', 'leaf_hash as hash']).where('idx', '>=', lo).where('idx', '<', lo + width).orderBy('idx').execute()
          : await db.selectFrom('provenance_tile_hashes').select(['idx', 'hash']).where('level', '=', level).where('idx', '>=', lo).where('idx', '<', lo + width).orderBy('idx').execute();
      return Buffer.concat(rows.map((r) => Buffer.from(r.hash, 'hex')));
    },
    async readEntries(start, count) {
      const rows = await db.selectFrom('provenance_entries').select(['data']).where('idx', '>=', start).where('idx', '<', start + count).orderBy('idx').execute();
      return rows.map((r) => Buffer.from(r.data, 'utf8'));
    },
    async findPaths(paths) {
      const { sql } = await kysely();
      const out = new Map<string, StoredEntry>();
      if (paths.length === 0) return out;
      const wanted = dialect === 'postgres' ? sql<string>`any(${[...paths]}::text[])` : sql<string>`(select value from json_each(${JSON.stringify(paths)}))`;
      const rows = await sql<{ idx: number; path: string; sha256: string }>`select idx, path, sha256 from provenance_entries where path ${dialect === 'postgres' ? sql`=` : sql`in`} ${wanted}`.execute(db);
      for (const r of rows.rows) out.set(r.path, { index: Number(r.idx), sha256: r.sha256 });
      return out;
    },
    async findSha256(sha256) {
      const { sql } = await kysely();
      // SQLite indexes the first 16 hex digits only (migration 0201): ask for them, then for the whole hash
      const indexed = dialect === 'postgres' ? sql`true` : sql`substr(sha256, 1, 16) = ${sha256.slice(0, 16)}`;
      const rows = await sql<{ idx: number }>`select idx from provenance_entries where ${indexed} and sha256 = ${sha256} order by idx limit 100`.execute(db);
      return rows.rows.map((r) => Number(r.idx));
    },
  };
}

async function insertPostgres(db: Db, rows: readonly NewEntry[]): Promise<void> {
  const { sql } = await kysely();
  const col = <T>(f: (r: NewEntry) => T) => rows.map(f);
  await sql`insert into provenance_entries (idx, path, sha256, time, uploader, data, leaf_hash) select * from unnest(${col((r) => r.index)}::integer[], ${col((r) => r.entry.path)}::text[], ${col((r) => r.entry.sha256)}::text[], ${col((r) => r.entry.time)}::text[], ${col((r) => r.entry.uploader)}::text[], ${col((r) => r.data.toString('utf8'))}::text[], ${col((r) => r.leaf.toString('hex'))}::text[])`.execute(db);
}

async function insertSqlite(db: Db, rows: readonly NewEntry[]): Promise<void> {
  const { sql } = await kysely();
  const json = JSON.stringify(rows.map((r) => [r.index, r.entry.path, r.entry.sha256, r.entry.time, r.entry.uploader, r.data.toString('utf8'), r.leaf.toString('hex')]));
  await sql`insert into provenance_entries (idx, path, sha256, time, uploader, data, leaf_hash) select value->>0, value->>1, value->>2, value->>3, value->>4, value->>5, value->>6 from json_each(${json})`.execute(db);
}

function tx(db: Db, dialect: Dialect): LogTx {
  return {
    ...reader(db, dialect),
    async insertEntries(rows: readonly NewEntry[]) {
      for (let i = 0; i < rows.length; i += CHUNK) await (dialect === 'postgres' ? insertPostgres : insertSqlite)(db, rows.slice(i, i + CHUNK));
    },
    async insertTileHashes(level, first, hashes) {
      for (let i = 0; i < hashes.length; i += HASH_CHUNK) {
        await db
          .insertInto('provenance_tile_hashes')
          .values(hashes.slice(i, i + HASH_CHUNK).map((h, k) => ({ level, idx: first + i + k, hash: h.toString('hex') })))
          .execute();
      }
    },
    async insertTreeHead(head, at) {
      await db.insertInto('provenance_tree_heads').values({ size: head.size, root: head.root.toString('hex'), at }).execute();
    },
  };
}

export class SqlLogStore implements LogStore {
  private readonly db: Db;
  private readonly read: LogReader;

  constructor(
    db: Kysely<StoreSchema>,
    readonly dialect: Dialect,
  ) {
    this.db = db as unknown as Db;
    this.read = reader(this.db, dialect);
  }

  treeHead = () => this.read.treeHead();
  readTile = (level: number, index: number, width: number) => this.read.readTile(level, index, width);
  readEntries = (start: number, count: number) => this.read.readEntries(start, count);
  findPaths = (paths: readonly string[]) => this.read.findPaths(paths);
  findSha256 = (sha256: string) => this.read.findSha256(sha256);

  transaction<T>(fn: (t: LogTx) => Promise<T>): Promise<T> {
    return serialised(this.db, this.dialect, LOCK_KEY, (trx) => fn(tx(trx as Db, this.dialect)));
  }

  async latestCheckpoint(): Promise<string | undefined> {
    const row = await this.db.selectFrom('provenance_checkpoints').select('note').orderBy('size', 'desc').limit(1).executeTakeFirst();
    return row?.note;
  }

  async saveCheckpoint(size: number, note: string, at: string): Promise<void> {
    const exists = await this.db.selectFrom('provenance_checkpoints').select('size').where('size', '=', size).executeTakeFirst();
    if (exists) await this.db.updateTable('provenance_checkpoints').set({ note, at }).where('size', '=', size).execute();
    else await this.db.insertInto('provenance_checkpoints').values({ size, note, at }).execute();
  }

  async witnessSize(witness: string): Promise<number> {
    const row = await this.db.selectFrom('provenance_witness_sizes').select('size').where('witness', '=', witness).executeTakeFirst();
    return row ? Number(row.size) : 0;
  }

  async setWitnessSize(witness: string, size: number): Promise<void> {
    const exists = await this.db.selectFrom('provenance_witness_sizes').select('size').where('witness', '=', witness).executeTakeFirst();
    if (exists) await this.db.updateTable('provenance_witness_sizes').set({ size }).where('witness', '=', witness).execute();
    else await this.db.insertInto('provenance_witness_sizes').values({ witness, size }).execute();
  }
}
