/**
 * Serialised write transactions for the log and the witness: `BEGIN IMMEDIATE` on SQLite (waiting
 * for another process's lock without blocking the event loop), a transaction-level advisory lock
 * on PostgreSQL. Durable when it resolves: SQLite WAL with synchronous=FULL, PostgreSQL's fsync.
 */
import type { Kysely, Transaction } from 'kysely';
import { CpansecError } from '../../errors.js';
import type { Dialect } from '../migrations/index.js';

const BUSY_WAIT_MS = 30_000;

let kyselyModule: Promise<typeof import('kysely')> | undefined;

/** Kysely's values (`sql`), loaded once on first use: a store-less command never loads them. */
export function kysely(): Promise<typeof import('kysely')> {
  return (kyselyModule ??= import('kysely'));
}

export async function serialised<DB, T>(db: Kysely<DB>, dialect: Dialect, lockKey: number, fn: (trx: Kysely<DB> | Transaction<DB>) => Promise<T>): Promise<T> {
  const { sql } = await kysely();
  if (dialect === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${sql.lit(lockKey)})`.execute(trx);
      return fn(trx);
    });
  }
  return db.connection().execute(async (conn) => {
    await sql`pragma busy_timeout = 0`.execute(conn);
    try {
      const until = Date.now() + BUSY_WAIT_MS;
      for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
        try {
          await sql`begin immediate`.execute(conn);
          break;
        } catch (e) {
          if (!String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY')) throw e;
          if (Date.now() >= until) throw new CpansecError('CONFLICT', 'the log store is busy with another write; try again', { file: 'store' });
        }
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    } finally {
      await sql`pragma busy_timeout = 5000`.execute(conn);
    }
    try {
      const result = await fn(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => undefined);
      throw e;
    }
  });
}
