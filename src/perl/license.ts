/**
 * CPAN::Meta licence names -> SPDX license expressions. The names are CPAN::Meta::Spec's (v2) and
 * the older 1.x names, normalised the way CPAN::Meta::Converter does (`perl` -> `perl_5`, `gpl` ->
 * `open_source` because its version is unknown). A version-numbered GNU licence maps to the `-only`
 * SPDX id: the spec names one version and says nothing of "or later". Perl's own licence is the one
 * exception, as its text says: "GPL version 1 or (at your option) any later version".
 */

/** CPAN::Meta::Spec 2 licence name -> SPDX license expression; null for names with no SPDX equivalent. */
const SPDX: Record<string, string | null> = {
  agpl_3: 'AGPL-3.0-only',
  apache_1_1: 'Apache-1.1',
  apache_2_0: 'Apache-2.0',
  artistic_1: 'Artistic-1.0',
  artistic_2: 'Artistic-2.0',
  bsd: 'BSD-3-Clause',
  freebsd: 'BSD-2-Clause',
  gfdl_1_2: 'GFDL-1.2-only',
  gfdl_1_3: 'GFDL-1.3-only',
  gpl_1: 'GPL-1.0-only',
  gpl_2: 'GPL-2.0-only',
  gpl_3: 'GPL-3.0-only',
  lgpl_2_1: 'LGPL-2.1-only',
  lgpl_3_0: 'LGPL-3.0-only',
  mit: 'MIT',
  mozilla_1_0: 'MPL-1.0',
  mozilla_1_1: 'MPL-1.1',
  openssl: 'OpenSSL',
  perl_5: 'Artistic-1.0-Perl OR GPL-1.0-or-later',
  qpl_1_0: 'QPL-1.0',
  ssleay: 'SSLeay-standalone',
  sun: 'SISSL',
  zlib: 'Zlib',
  // the spec's catch-all names: no SPDX licence says as much (or as little)
  open_source: null,
  restricted: null,
  unrestricted: null,
  unknown: null,
};

/** CPAN::Meta::Converter's map of 1.x (and misspelt) names to 2.0 names. */
const ALIASES: Record<string, string> = {
  apache: 'apache_2_0',
  artistic: 'artistic_1',
  artistic2: 'artistic_2',
  gpl: 'open_source',
  lgpl: 'open_source',
  mozilla: 'open_source',
  perl: 'perl_5',
  restrictive: 'restricted',
};

/** What a CPAN::Meta licence list says, for an SBOM. */
export interface MetaLicense {
  /** the SPDX license expression of the whole list (OR'ed), when every name has one */
  expression?: string;
  /** the CPAN::Meta 2 names, normalised */
  names: string[];
  /** names without an SPDX equivalent (open_source, restricted, unrestricted, unknown, unrecognised) */
  unmapped: string[];
}

/** The CPAN::Meta 2 name of a licence name as written in any META version ('unknown' when unrecognised). */
export function normalizeLicenseName(name: string): string {
  const lower = name.trim().toLowerCase();
  if (lower in SPDX) return lower;
  return ALIASES[lower] ?? 'unknown';
}

/** The SPDX expression of one CPAN::Meta licence name, or undefined when it has none. */
export function spdxOfLicenseName(name: string): string | undefined {
  return SPDX[normalizeLicenseName(name)] ?? undefined;
}

/**
 * A META `license` list as SPDX. The spec says a list means the user may choose among them, so the
 * expressions are OR'ed; an expression that is itself an OR keeps its parentheses.
 */
export function metaLicense(names: string[]): MetaLicense {
  const normalized = [...new Set(names.map(normalizeLicenseName))];
  const unmapped = normalized.filter((n) => !SPDX[n]);
  if (normalized.length === 0 || unmapped.length > 0) return { names: normalized, unmapped: normalized.length ? unmapped : ['unknown'] };
  const parts = normalized.map((n) => SPDX[n]!);
  const expression = parts.length === 1 ? parts[0]! : parts.map((p) => (p.includes(' ') ? `(${p})` : p)).join(' OR ');
  return { expression, names: normalized, unmapped: [] };
}

/** Every CPAN::Meta 2 licence name (for tests and documentation). */
export const CPAN_META_LICENSE_NAMES: readonly string[] = Object.keys(SPDX);
