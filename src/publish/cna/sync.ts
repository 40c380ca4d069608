/**
 * Is a CVE JSON file in step with the YAML it was built from? As the CNA tool's `json_out_of_date`
 * check: the record built from the YAML now and the JSON on disk are compared on what the YAML
 * decides — the CNA container without what CVE Services or the generator stamp (provider
 * metadata, generator, dates) — with keys in a canonical order.
 */

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys the YAML does not decide. */
const STAMPED = new Set(['providerMetadata', 'x_generator', 'dateAssigned', 'datePublic']);

/** Keys anywhere that restate something else: HTML copies of texts (Vulnogram), the purl 5.2.0 adds beside packageName. */
const DERIVED = new Set(['supportingMedia', 'packageURL']);

function canonical(v: unknown, depth = 0): unknown {
  if (depth > 32) return v;
  if (Array.isArray(v)) return v.map((x) => canonical(x, depth + 1));
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .filter((k) => !DERIVED.has(k))
      .sort()
      .map((k) => [k, canonical(v[k], depth + 1)]),
  );
}

function projection(record: unknown): unknown {
  const cna = isObject(record) && isObject(record.containers) ? record.containers.cna : isObject(record) && isObject(record.cnaContainer) ? record.cnaContainer : record;
  if (!isObject(cna)) return undefined;
  const out: Json = {};
  for (const [k, v] of Object.entries(cna)) if (!STAMPED.has(k)) out[k] = v;
  return canonical(out);
}

/**
 * The top-level keys of the CNA container where the JSON differs from the record built from the
 * YAML; empty when it is in step.
 */
export function cveJsonDrift(built: unknown, existing: unknown): string[] {
  const a = projection(built) as Json | undefined;
  const b = projection(existing) as Json | undefined;
  if (!a || !b) return ['containers.cna'];
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
