/** A PostgreSQL database of its own for one bench part, created empty and dropped afterwards. */
import pg from 'pg';

export const POSTGRES_URL = process.env.CPANSEC_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function run(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: POSTGRES_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export async function benchDatabase(name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const db = `cpansec_bench_${name}_${process.pid}`;
  await run(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  await run(`CREATE DATABASE ${db}`);
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${db}`;
  return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`) };
}
