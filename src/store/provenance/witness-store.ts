/** The witness's record of the last checkpoint it cosigned per log, checked and updated atomically. */
import type { Kysely } from 'kysely';
import type { WitnessState, WitnessStore, WitnessTx } from '../../provenance/index.js';
import type { Dialect } from '../migrations/index.js';
import type { StoreSchema } from '../schema.js';
import type { ProvenanceDatabase } from './schema.js';
import { serialised } from './serial.js';

type Db = Kysely<ProvenanceDatabase>;

/** pg_advisory_xact_lock key of the witness ("wtns") */
const LOCK_KEY = 0x77_74_6e_73;

export class SqlWitnessStore implements WitnessStore {
  private readonly db: Db;

  constructor(
    db: Kysely<StoreSchema>,
    readonly dialect: Dialect,
  ) {
    this.db = db as unknown as Db;
  }

  transaction<T>(fn: (tx: WitnessTx) => Promise<T>): Promise<T> {
    return serialised(this.db, this.dialect, LOCK_KEY, (trx) => {
      const db = trx as Db;
      return fn({
        async get(origin): Promise<WitnessState | undefined> {
          const row = await db.selectFrom('provenance_witnessed').select(['size', 'root']).where('origin', '=', origin).executeTakeFirst();
          return row ? { size: Number(row.size), root: Buffer.from(row.root, 'hex') } : undefined;
        },
        async set(origin, state, checkpoint, at) {
          const values = { size: state.size, root: state.root.toString('hex'), checkpoint, at };
          const exists = await db.selectFrom('provenance_witnessed').select('size').where('origin', '=', origin).executeTakeFirst();
          if (exists) await db.updateTable('provenance_witnessed').set(values).where('origin', '=', origin).execute();
          else await db.insertInto('provenance_witnessed').values({ origin, ...values }).execute();
        },
      });
    });
  }
}
