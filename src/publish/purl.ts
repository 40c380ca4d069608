/**
 * The package URL of a CPAN distribution as the records name it (purl-spec
 * `types/cpan-definition.json`, built by src/perl's cpanPurl): the name is the distribution, case
 * sensitive, never a module name with `::`; no author, since CVE JSON 5.2 and OSV name the package
 * regardless of who maintains it, and no version.
 */
import { PackageURL } from 'packageurl-js';
import { CpansecError } from '../errors.js';
import { cpanPurl } from '../perl/index.js';

export function distributionPurl(distribution: string): string {
  try {
    return cpanPurl({ name: distribution });
  } catch {
    throw new CpansecError('USAGE', `'${distribution}' is not a CPAN distribution name (a purl names the distribution, not a module)`);
  }
}

/** The distribution a `pkg:cpan/…` purl names, or undefined for another type or a bad purl. */
export function distributionOfPurl(purl: string): string | undefined {
  try {
    const p = PackageURL.fromString(purl);
    return p.type === 'cpan' && !p.name.includes('::') ? p.name : undefined;
  } catch {
    return undefined;
  }
}
