/** The provenance log's `LogStore` over the server's SQLite or PostgreSQL database. */
import type { Kysely } from 'kysely';
import { EMPTY_ROOT, type LogStore, type LogTx, type LogReader, type NewEntry, type StoredEntry, type TreeHead } from '../../provenance/index.js';
import type { Dialect } from '../migrations/index.js';
import type { StoreSchema } from '../schema.js';
import type { ProvenanceDatabase } from './schema.js';
import { serialised } from './serial.js';

type Db = Kysely<ProvenanceDatabase>;

/** pg_advisory_xact_lock key of the log ("tlog" in ASCII) */
const LOCK_KEY = 0x74_6c_6f_67;
// rows per statement: 7 columns × 2,000 stays under both databases' parameter limits
const CHUNK = 2000;
const TILE = 256;

function reader(db: Db): LogReader {
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
      const out = new Map<string, StoredEntry>();
      for (let i = 0; i < paths.length; i += CHUNK) {
        const rows = await db.selectFrom('provenance_entries').select(['idx', 'path', 'sha256']).where('path', 'in', paths.slice(i, i + CHUNK)).execute();
        for (const r of rows) out.set(r.path, { index: Number(r.idx), sha256: r.sha256 });
      }
      return out;
    },
    async findSha256(sha256) {
      const rows = await db.selectFrom('provenance_entries').select('idx').where('sha256', '=', sha256).orderBy('idx').limit(100).execute();
      return rows.map((r) => Number(r.idx));
    },
  };
}

function tx(db: Db): LogTx {
  return {
    ...reader(db),
    async insertEntries(rows: readonly NewEntry[]) {
      for (let i = 0; i < rows.length; i += CHUNK) {
        await db
          .insertInto('provenance_entries')
          .values(rows.slice(i, i + CHUNK).map((r) => ({ idx: r.index, path: r.entry.path, sha256: r.entry.sha256, time: r.entry.time, uploader: r.entry.uploader, data: r.data.toString('utf8'), leaf_hash: r.leaf.toString('hex') })))
          .execute();
      }
    },
    async insertTileHashes(level, first, hashes) {
      for (let i = 0; i < hashes.length; i += CHUNK) {
        await db
          .insertInto('provenance_tile_hashes')
          .values(hashes.slice(i, i + CHUNK).map((h, k) => ({ level, idx: first + i + k, hash: h.toString('hex') })))
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
    this.read = reader(this.db);
  }

  treeHead = () => this.read.treeHead();
  readTile = (level: number, index: number, width: number) => this.read.readTile(level, index, width);
  readEntries = (start: number, count: number) => this.read.readEntries(start, count);
  findPaths = (paths: readonly string[]) => this.read.findPaths(paths);
  findSha256 = (sha256: string) => this.read.findSha256(sha256);

  transaction<T>(fn: (t: LogTx) => Promise<T>): Promise<T> {
    return serialised(this.db, this.dialect, LOCK_KEY, (trx) => fn(tx(trx as Db)));
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
