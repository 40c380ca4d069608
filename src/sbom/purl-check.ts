/**
 * A purl found in a document, checked by packageurl-js (the purl spec's JavaScript implementation)
 * and, for the `cpan` type, by the type's own rules that packageurl-js does not know (a module name
 * is not a distribution name: the spec's test vectors list `pkg:cpan/LWP::UserAgent@…` as invalid).
 */
import { PackageURL } from 'packageurl-js';
import { parseCpanPurl } from '../perl/index.js';

export function purlProblem(purl: string): string | undefined {
  let type: string;
  try {
    type = PackageURL.fromString(purl).type;
  } catch (e) {
    return `not a valid purl: ${(e as Error).message.replace(/^Invalid purl: /, '')}`;
  }
  if (type !== 'cpan') return undefined;
  try {
    parseCpanPurl(purl);
    return undefined;
  } catch (e) {
    const msg = (e as Error).message;
    return (msg.endsWith(`: ${purl}`) ? msg.slice(0, -purl.length - 2) : msg).replace(/^not a cpan purl: /, 'not a valid cpan purl: ');
  }
}
