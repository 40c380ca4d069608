/** The store: SQLite (embedded default) or PostgreSQL, one schema, one list of migrations. */
export { Store, type OpenStoreOptions } from './store.js';
export type { StoreImportResult, HistoryEntry } from './write.js';
export { guardImport, type ImportOptions, type KeptFromStore } from './import-guard.js';
export { isPostgresUrl, SQLITE_FILE, type StoreLocation } from './connect.js';
export { MIGRATIONS, type StoreMigration, type Dialect } from './migrations/index.js';
export { isPublicAdvisory } from './public.js';
export type { StoreSchema } from './schema.js';
export { SqlDisclosureStore, type DisclosureSchema } from './disclosure/index.js';
export { SqlLogStore, SqlWitnessStore, UploaderTokens, type UploaderToken } from './provenance/index.js';
export { SqlAuthorKeyStore, type AuthorKeysSchema } from './provenance-keys/index.js';
export { SqlTufStore, type StoredTarget, type TufSchema } from './provenance-tuf/index.js';
