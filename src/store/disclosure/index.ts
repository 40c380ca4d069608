/** The disclosure workspace's persistence: `DisclosureStore` over the server's SQLite or PostgreSQL store. */
export { SqlDisclosureStore } from './store.js';
export type { DisclosureSchema, DisclosureDatabase } from './schema.js';
