/**
 * Ecosystem names a query may carry. osv.dev answers 400 "invalid ecosystem" to a name its schema
 * does not know (a `:suffix` allowed), and an empty result to a known ecosystem it has nothing for;
 * we know the names of the bundled OSV schema, plus CPAN (our extension) and GIT.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DATA_DIR } from '../../index/index.js';
import { OSV_ECOSYSTEM } from '../../publish/index.js';

let known: Set<string> | undefined;

function load(): Set<string> {
  const schema = JSON.parse(readFileSync(path.join(DATA_DIR, 'schemas', 'osv', 'schema.json'), 'utf8')) as {
    $defs?: { ecosystemName?: { enum?: string[] } };
  };
  return new Set([...(schema.$defs?.ecosystemName?.enum ?? []), OSV_ECOSYSTEM, 'GIT']);
}

export function isKnownEcosystem(ecosystem: string): boolean {
  known ??= load();
  const [base, ...suffix] = ecosystem.split(':');
  // CPAN has no releases or variants to name after a colon: `CPAN:foo` is malformed, not CPAN
  if (base === OSV_ECOSYSTEM && suffix.length) return false;
  // a suffix names a release of a distribution ecosystem (`Debian:12`); it is never empty
  if (suffix.some((s) => s === '')) return false;
  return known.has(base!);
}
