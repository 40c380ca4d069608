/** What the repositories share: the executor type, JSON records, conflicts, insertion order. */
import type { Kysely } from 'kysely';
import { CpansecError } from '../../errors.js';
import type { DisclosureDatabase } from './schema.js';

/** A Kysely bound to one transaction's connection. */
export type Db = Kysely<DisclosureDatabase>;

export const conflict = (what: string) => new CpansecError('CONFLICT', what, { file: 'store' });

export const toJson = (value: unknown): string => JSON.stringify(value);

export function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

type Ordered = 'disclosure_messages' | 'disclosure_attachments' | 'disclosure_contacts' | 'disclosure_accounts' | 'disclosure_outbox';

/**
 * The next insertion position of a table. Transactions are serialised (see store.ts), so reading
 * the maximum and writing the next is race-free; the unique index is the backstop.
 */
export async function nextPosition(db: Db, table: Ordered): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.max<number>('position').as('p')).executeTakeFirst();
  return Number(row?.p ?? 0) + 1;
}
