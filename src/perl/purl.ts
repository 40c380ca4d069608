/**
 * Package URLs of the purl spec's `cpan` type (types/cpan-definition.json): the name is the
 * distribution name, never a module name (no '::'); the CPAN author is the `author` qualifier (the
 * preferred form for new identifiers) or, in older identifiers, an upper-case namespace.
 * packageurl-js does the encoding and parsing; the cpan type's own rules, which it does not know,
 * are checked here. Shared by the SBOMs, the publication exports and the server's APIs.
 */
import type { PackageURL } from 'packageurl-js';
import { packageUrl } from './lazy-libs.js';
import { CpansecError } from '../errors.js';

export interface CpanPurl {
  name: string;
  version?: string;
  author?: string;
  /** the legacy author-as-namespace form */
  namespace?: string;
  qualifiers?: Record<string, string>;
}

function check(p: CpanPurl, input: string): void {
  if (!p.name) throw new CpansecError('PARSE_ERROR', `not a cpan purl: the name is empty: ${input}`);
  if (p.name.includes('::')) throw new CpansecError('PARSE_ERROR', `not a cpan purl: '${p.name}' is a module name, the name must be a distribution name: ${input}`);
  if (p.namespace !== undefined && p.namespace !== p.namespace.toUpperCase()) {
    throw new CpansecError('PARSE_ERROR', `not a cpan purl: the namespace (a CPAN author id) must be upper case: ${input}`);
  }
}

/** The purl of a CPAN distribution: pkg:cpan/Dist-Name@1.23?author=AUTHOR */
export function cpanPurl(p: CpanPurl): string {
  check(p, p.name);
  const qualifiers = { ...(p.author ? { author: p.author.toUpperCase() } : {}), ...p.qualifiers };
  const { PackageURL: Purl } = packageUrl();
  return new Purl('cpan', p.namespace, p.name, p.version, Object.keys(qualifiers).length ? qualifiers : undefined, undefined).toString();
}

/** Parse a cpan purl, applying the type's rules. */
export function parseCpanPurl(input: string): CpanPurl {
  let parsed: PackageURL;
  try {
    parsed = packageUrl().PackageURL.fromString(input);
  } catch (e) {
    throw new CpansecError('PARSE_ERROR', `not a purl: ${(e as Error).message}: ${input}`);
  }
  if (parsed.type !== 'cpan') throw new CpansecError('PARSE_ERROR', `not a cpan purl (type '${parsed.type}'): ${input}`);
  const qualifiers: Record<string, string> = { ...(parsed.qualifiers as Record<string, string> | undefined) };
  const p: CpanPurl = {
    name: parsed.name,
    ...(parsed.version ? { version: parsed.version } : {}),
    ...(parsed.namespace ? { namespace: parsed.namespace } : {}),
    ...(qualifiers.author ? { author: qualifiers.author } : {}),
    ...(Object.keys(qualifiers).length ? { qualifiers } : {}),
  };
  check(p, input);
  return p;
}
