/**
 * The store backends every store and server test runs against: SQLite in a temporary directory and
 * PostgreSQL in a database created for the test file (and dropped after it). When CI=true or
 * CPANSEC_TEST_POSTGRES_URL is set, an unreachable PostgreSQL fails the tests; otherwise they are
 * skipped with the reason.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import pg from 'pg';
import { Store, type OpenStoreOptions } from '../../src/store/index.js';

export const POSTGRES_URL = process.env.CPANSEC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const MUST_HAVE_POSTGRES = process.env.CI === 'true' || !!process.env.CPANSEC_TEST_POSTGRES_URL;

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** why the backend's tests are skipped, when they are */
  skip: string | false;
  /** where a new empty store lives: options for Store.open and the CLI flags that name it */
  location(): Promise<{ options: OpenStoreOptions; flags: string[] }>;
  /** a new, empty, migrated store */
  open(extra?: Omit<OpenStoreOptions, 'database' | 'dataDir'>): Promise<Store>;
}

const cleanups: (() => Promise<void>)[] = [];

/** Run at the end of the test file, in reverse order of registration. */
export function onCleanup(fn: () => Promise<void>): void {
  cleanups.push(fn);
}

after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function postgresReachable(): Promise<string | false> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    await client.query('select 1');
    return false;
  } catch (e) {
    return `PostgreSQL at ${POSTGRES_URL} is unreachable: ${(e as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function createDatabase(): Promise<string> {
  const name = `cpansec_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: POSTGRES_URL });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.end();
  });
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

function sqliteDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cpansec-store-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const unreachable = await postgresReachable();
if (unreachable && MUST_HAVE_POSTGRES) {
  // fail the run rather than skip: CI must test PostgreSQL for real
  throw new Error(`${unreachable} (CI=true or CPANSEC_TEST_POSTGRES_URL is set, so this fails instead of skipping)`);
}

export const BACKENDS: Backend[] = [
  {
    name: 'sqlite',
    skip: false,
    async location() {
      const dataDir = sqliteDir();
      return { options: { dataDir }, flags: ['--data-dir', dataDir] };
    },
    async open(extra = {}) {
      const store = await Store.open({ ...extra, dataDir: sqliteDir() });
      cleanups.push(() => store.close());
      return store;
    },
  },
  {
    name: 'postgres',
    skip: unreachable,
    async location() {
      const database = await createDatabase();
      return { options: { database }, flags: ['--database', database] };
    },
    async open(extra = {}) {
      const store = await Store.open({ ...extra, database: await createDatabase() });
      cleanups.push(() => store.close());
      return store;
    },
  },
];
