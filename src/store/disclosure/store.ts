/**
 * The disclosure domain's `DisclosureStore` over the server's database (SQLite or PostgreSQL).
 *
 * Transactions are serialised, as the domain's contract and its in-memory store have them: on
 * SQLite each one is `BEGIN IMMEDIATE` (it takes the database's write lock at once, so two
 * processes never both read a state and then both write on top of it); on PostgreSQL each one
 * first takes a transaction-level advisory lock, the same for every disclosure transaction of
 * every server on the database. Reads inside see the transaction's own writes; a commit is
 * durable (SQLite WAL with synchronous=FULL, PostgreSQL's fsync) before the caller hears of it.
 * Serialising costs little here — a team's workspace writes a few times a second at most — and
 * makes every check-then-write of the commands (first administrator, taken references, the audit
 * chain's head) safe without retries.
 */
import type { Kysely } from 'kysely';
import type { DisclosureStore, DisclosureTx } from '../../disclosure/index.js';
import { CpansecError } from '../../errors.js';
import type { Dialect } from '../migrations/index.js';
import type { StoreSchema } from '../schema.js';
import { accountRepository, invitationRepository, loginAttemptRepository, sessionRepository, tokenRepository } from './accounts.js';
import { auditRepository, caseRepository, limitRepository, secretRepository } from './cases.js';
import type { Db } from './common.js';
import { outboxRepository } from './outbox.js';
import type { DisclosureDatabase } from './schema.js';
import { attachmentRepository, contactRepository, messageRepository } from './thread.js';

/** pg_advisory_xact_lock key of the workspace (any constant: "cpans" in ASCII) */
const LOCK_KEY = 0x63_70_61_6e_73;

function bind(db: Db): DisclosureTx {
  return {
    cases: caseRepository(db),
    audit: auditRepository(db),
    messages: messageRepository(db),
    attachments: attachmentRepository(db),
    contacts: contactRepository(db),
    accounts: accountRepository(db),
    sessions: sessionRepository(db),
    tokens: tokenRepository(db),
    invitations: invitationRepository(db),
    loginAttempts: loginAttemptRepository(db),
    outbox: outboxRepository(db),
    limits: limitRepository(db),
    secrets: secretRepository(db),
  };
}

/** Driver errors a caller can act on, as CpansecErrors; anything else as it is. */
function storeError(e: unknown): unknown {
  if (e instanceof CpansecError) return e;
  const code = String((e as { code?: unknown })?.code ?? '');
  // a trigger of 0101 refused a change to the audit log: tampering, or a bug; never "try again"
  if (code === 'SQLITE_CONSTRAINT_TRIGGER' || code === 'P0001') return new CpansecError('INTEGRITY_ERROR', (e as Error).message, { file: 'store', cause: e });
  if (code === '23505' || code.startsWith('SQLITE_CONSTRAINT')) return new CpansecError('CONFLICT', 'the record exists already (written meanwhile)', { file: 'store', cause: e });
  if (code.startsWith('SQLITE_BUSY') || code === '55P03' || code === '40001' || code === '40P01') {
    return new CpansecError('CONFLICT', 'the store is busy with another write; try again', { file: 'store', cause: e });
  }
  return e;
}

type Sql = (typeof import('kysely'))['sql'];

const BUSY_WAIT_MS = 10_000;

/**
 * BEGIN IMMEDIATE, waiting for another connection's write lock without blocking the event loop:
 * SQLite's own busy handler sleeps inside the (synchronous) driver, which would stop this process
 * — and with it the holder of the lock, when that is another connection of the same process.
 */
async function beginImmediate(conn: Db, sql: Sql): Promise<void> {
  const saved = (await sql<{ timeout: number }>`pragma busy_timeout`.execute(conn)).rows[0]?.timeout ?? 5000;
  await sql`pragma busy_timeout = 0`.execute(conn);
  try {
    const until = Date.now() + Math.max(BUSY_WAIT_MS, Number(saved));
    for (let delay = 1; ; delay = Math.min(delay * 2, 50)) {
      try {
        await sql`begin immediate`.execute(conn);
        return;
      } catch (e) {
        if (!String((e as { code?: unknown }).code ?? '').startsWith('SQLITE_BUSY') || Date.now() >= until) throw e;
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  } finally {
    await sql.raw(`pragma busy_timeout = ${Number(saved)}`).execute(conn);
  }
}

export class SqlDisclosureStore implements DisclosureStore {
  private readonly db: Db;

  constructor(
    db: Kysely<StoreSchema>,
    readonly dialect: Dialect,
  ) {
    this.db = db as unknown as Kysely<DisclosureDatabase>;
  }

  async transaction<T>(fn: (tx: DisclosureTx) => Promise<T>): Promise<T> {
    // imported here, as connect.ts does: the library's entry point must not load Kysely
    const { sql } = await import('kysely');
    try {
      if (this.dialect === 'postgres') {
        return await this.db.transaction().execute(async (trx) => {
          await sql`select pg_advisory_xact_lock(${sql.lit(LOCK_KEY)})`.execute(trx);
          return fn(bind(trx));
        });
      }
      // SQLite has one connection per process (Kysely queues its users)
      return await this.db.connection().execute(async (conn) => {
        await beginImmediate(conn, sql);
        try {
          const result = await fn(bind(conn));
          await sql`commit`.execute(conn);
          return result;
        } catch (e) {
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw e;
        }
      });
    } catch (e) {
      throw storeError(e);
    }
  }
}
