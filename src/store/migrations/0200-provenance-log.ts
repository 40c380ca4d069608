/**
 * The release transparency log (src/provenance): entries with their leaf hashes, the tile hashes
 * above level 0, one tree head per size (the primary key makes two trees of one size impossible),
 * published checkpoints, the sizes witnesses last cosigned, uploader tokens, and — for a server
 * that is a witness — the last checkpoint it cosigned per log. Hashes are lower-case hex text.
 */
import type { Kysely } from 'kysely';
import type { StoreMigration } from './index.js';

export const provenanceLog: StoreMigration = {
  name: '0200-provenance-log',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('provenance_entries')
      .addColumn('idx', 'integer', (c) => c.primaryKey())
      .addColumn('path', 'text', (c) => c.notNull().unique())
      .addColumn('sha256', 'text', (c) => c.notNull())
      .addColumn('time', 'text', (c) => c.notNull())
      .addColumn('uploader', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('leaf_hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('provenance_entries_sha256').on('provenance_entries').column('sha256').execute();
    await db.schema
      .createTable('provenance_tile_hashes')
      .addColumn('level', 'integer', (c) => c.notNull())
      .addColumn('idx', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('provenance_tile_hashes_pk', ['level', 'idx'])
      .execute();
    await db.schema
      .createTable('provenance_tree_heads')
      .addColumn('size', 'integer', (c) => c.primaryKey())
      .addColumn('root', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('provenance_checkpoints')
      .addColumn('size', 'integer', (c) => c.primaryKey())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('provenance_witness_sizes')
      .addColumn('witness', 'text', (c) => c.primaryKey())
      .addColumn('size', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('provenance_uploader_tokens')
      .addColumn('prefix', 'text', (c) => c.primaryKey())
      .addColumn('hash', 'text', (c) => c.notNull())
      .addColumn('uploader', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema
      .createTable('provenance_witnessed')
      .addColumn('origin', 'text', (c) => c.primaryKey())
      .addColumn('size', 'integer', (c) => c.notNull())
      .addColumn('root', 'text', (c) => c.notNull())
      .addColumn('checkpoint', 'text', (c) => c.notNull())
      .addColumn('at', 'text', (c) => c.notNull())
      .execute();
  },
};
