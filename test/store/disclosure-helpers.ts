/** The disclosure domain over a real store (SQLite or PostgreSQL), for the store's tests. */
import { sql, type Kysely } from 'kysely';
import type { DisclosureDeps, DisclosureStore, DisclosureTx } from '../../src/disclosure/index.js';
import { SqlDisclosureStore, type Store } from '../../src/store/index.js';
import { buildCveRecord } from '../../src/server/workspace/cve-record.js';
import { seededRandom, testConfig, TestClock } from '../disclosure/helpers.js';
import type { Backend } from './backends.js';

export type SqlDeps = DisclosureDeps & { store: SqlDisclosureStore; clock: TestClock; server: Store };

/** Deps over a new store of the backend, or over `server` (a second connection to the same database). */
export async function sqlDeps(backend: Backend, seed = 'sql', server?: Store): Promise<SqlDeps> {
  server ??= await backend.open();
  return {
    server,
    store: new SqlDisclosureStore(server.db, server.dialect),
    clock: new TestClock(),
    random: seededRandom(seed),
    config: testConfig(),
    checkCveRecord: buildCveRecord,
  };
}

const TABLES = [
  'disclosure_cases',
  'disclosure_case_participants',
  'disclosure_audit',
  'disclosure_audit_head',
  'disclosure_messages',
  'disclosure_attachments',
  'disclosure_contacts',
  'disclosure_accounts',
  'disclosure_sessions',
  'disclosure_tokens',
  'disclosure_invitations',
  'disclosure_invitation_tokens',
  'disclosure_login_attempts',
  'disclosure_outbox',
];

/** Every row of the workspace's tables, in a stable order: what "unchanged" is compared on. */
export async function dump(server: Store): Promise<Record<string, unknown[]>> {
  const db = server.db as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(t)}`.execute(db);
    out[t] = rows.rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v])))).sort();
  }
  return out;
}

export class Crash extends Error {
  constructor() {
    super('simulated crash between two writes');
  }
}

const WRITES = new Set(['insert', 'update', 'append', 'delete', 'deleteByAccount', 'claim', 'prune']);

/**
 * The store with a fault: the (n+1)-th write of a transaction throws, as a process dying between
 * two statements would leave it — the database must roll the transaction back.
 */
export function crashingStore(inner: DisclosureStore, writesBeforeCrash: () => number | undefined): DisclosureStore {
  return {
    transaction<T>(fn: (tx: DisclosureTx) => Promise<T>): Promise<T> {
      return inner.transaction((tx) => {
        let left = writesBeforeCrash();
        const wrapped = Object.fromEntries(
          Object.entries(tx).map(([name, repo]) => [
            name,
            Object.fromEntries(
              Object.entries(repo as Record<string, (...a: unknown[]) => Promise<unknown>>).map(([m, f]) => [
                m,
                async (...args: unknown[]) => {
                  if (WRITES.has(m) && left !== undefined) {
                    if (left <= 0) throw new Crash();
                    left--;
                  }
                  return f(...args);
                },
              ]),
            ),
          ]),
        ) as unknown as DisclosureTx;
        return fn(wrapped);
      });
    },
  };
}
