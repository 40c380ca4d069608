/**
 * The one place that decides what is public. Every public surface (site, feeds, OSV API, MetaCPAN
 * API, downloads) reads the database through `loadPublished`, which selects advisories with this
 * predicate only: published (a time is set and it has come) and not withdrawn. Staged entries, and
 * anything a disclosure case has not published, never reach them.
 */
import type { ExpressionBuilder, ExpressionWrapper, SqlBool } from 'kysely';
import type { StoreSchema } from './schema.js';

export function isPublicAdvisory(now: Date) {
  const at = now.toISOString();
  return (eb: ExpressionBuilder<StoreSchema, 'advisories'>): ExpressionWrapper<StoreSchema, 'advisories', SqlBool> =>
    eb.and([eb('published_at', 'is not', null), eb('published_at', '<=', at), eb('withdrawn_at', 'is', null)]);
}

/** Entries scheduled to become public later than `now`. */
export function isScheduled(now: Date) {
  const at = now.toISOString();
  return (eb: ExpressionBuilder<StoreSchema, 'advisories'>): ExpressionWrapper<StoreSchema, 'advisories', SqlBool> =>
    eb.and([eb('published_at', '>', at), eb('withdrawn_at', 'is', null)]);
}
