/** Run the store's migrations (Kysely's Migrator: a lock table, and each migration in a transaction). */
import type { Kysely, Migration } from 'kysely';
import { CpansecError } from '../errors.js';
import type { Dialect, StoreMigration } from './migrations/index.js';

export async function migrate(db: Kysely<unknown>, dialect: Dialect, migrations: readonly StoreMigration[]): Promise<string[]> {
  const names = migrations.map((m) => m.name);
  const sorted = [...names].sort();
  if (names.some((n, i) => n !== sorted[i]) || new Set(names).size !== names.length) {
    throw new CpansecError('SCHEMA_ERROR', `store migrations must have unique names in sorted order: ${names.join(', ')}`);
  }
  const { Migrator } = await import('kysely');
  const migrator = new Migrator({
    db,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(migrations.map((m): [string, Migration] => [m.name, { up: (trx) => m.up(trx, dialect) }])),
    },
    migrationTableName: 'store_migrations',
    migrationLockTableName: 'store_migrations_lock',
    // parts number their migrations in their own ranges (0002–0099, 0100–…): a store that ran a
    // later range first still runs a new migration of an earlier one
    allowUnorderedMigrations: true,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new CpansecError('SCHEMA_ERROR', `store migration ${failed ?? ''} failed: ${(error as Error).message}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
