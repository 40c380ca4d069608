/** The disclosure store of a database, opened (and migrated) apart from any server. */
import { Store, SqlDisclosureStore } from '../../src/store/index.js';
import { systemClock, type DisclosureDeps } from '../../src/disclosure/index.js';

export { createFirstAdmin, systemActor, disclosureConfig, cryptoRandom, accountActor, ANONYMOUS, fileReport, transitionCase, assessCase, logContact } from '../../src/disclosure/index.js';

export async function openDisclosureStore(database: string): Promise<{ deps: Pick<DisclosureDeps, 'store' | 'clock'>; close: () => Promise<void> }> {
  const store = await Store.open({ database });
  return { deps: { store: new SqlDisclosureStore(store.db, store.dialect), clock: systemClock }, close: () => store.close() };
}
