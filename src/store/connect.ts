/**
 * Open the database a store lives in: SQLite in a data directory (the embedded default) or
 * PostgreSQL given by a postgres:// URL.
 *
 * The drivers and Kysely are imported when a store is opened, not when this module loads: the CLI
 * is one bundled file, and the commands that never open a store must not pay for loading them.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { CpansecError } from '../errors.js';
import type { Dialect } from './migrations/index.js';
import type { StoreSchema } from './schema.js';

export const SQLITE_FILE = 'cpansec.sqlite';

export interface StoreLocation {
  /** postgres://… (or postgresql://…); wins over dataDir */
  database?: string;
  /** the directory of the SQLite file (created when missing); default ./var */
  dataDir?: string;
}

export interface Connection {
  db: Kysely<StoreSchema>;
  dialect: Dialect;
  /** where the data is, for messages (a PostgreSQL URL without its password) */
  description: string;
}

export function isPostgresUrl(s: string | undefined): s is string {
  return !!s && /^postgres(ql)?:\/\//i.test(s);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

async function openSqlite(dataDir: string): Promise<Connection> {
  const { default: Database } = await import('better-sqlite3');
  const { Kysely, SqliteDialect } = await import('kysely');
  const file = path.resolve(dataDir, SQLITE_FILE);
  let sqlite: BetterSqlite3.Database;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    sqlite = new Database(file);
    // WAL: readers never block the writer; FULL: a committed transaction survives a power cut.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
  } catch (e) {
    throw new CpansecError('IO_ERROR', `cannot open the SQLite store: ${(e as Error).message}`, { file });
  }
  return { db: new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: sqlite }) }), dialect: 'sqlite', description: file };
}

async function openPostgres(url: string): Promise<Connection> {
  const { default: pg } = await import('pg');
  const { Kysely, PostgresDialect } = await import('kysely');
  const pool = new pg.Pool({ connectionString: url, max: 10, connectionTimeoutMillis: 10_000 });
  const description = redact(url);
  try {
    const client = await pool.connect();
    client.release();
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw new CpansecError('IO_ERROR', `cannot connect to PostgreSQL: ${(e as Error).message}`, { file: description });
  }
  // an idle client's error (server restart) must not crash the process; the next query reconnects
  pool.on('error', () => undefined);
  return { db: new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres', description };
}

export async function connect(location: StoreLocation): Promise<Connection> {
  if (location.database !== undefined && location.database !== '') {
    if (!isPostgresUrl(location.database)) {
      throw new CpansecError('USAGE', `--database takes a postgres:// URL (for SQLite give --data-dir): ${location.database}`);
    }
    return openPostgres(location.database);
  }
  return openSqlite(location.dataDir ?? 'var');
}
