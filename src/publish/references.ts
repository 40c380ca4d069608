/**
 * What kind of page a reference URL is, from its address alone: the advisory data lists bare URLs,
 * OSV wants a reference type and CVE records take tags. The rules are ordered; the first that
 * matches wins, and anything unrecognised is a plain web page (OSV `WEB`, no CVE tag).
 */
import type { OsvReferenceType } from './osv/types.js';

export type ReferenceKind = 'fix' | 'advisory' | 'vdb' | 'report' | 'discussion' | 'evidence' | 'package' | 'release-notes' | 'article' | 'web';

const RULES: [ReferenceKind, RegExp][] = [
  ['fix', /\/commits?\/[0-9a-f]{7,}|\/pull\/\d+|\/merge_requests\/\d+|[?;&]a=commit(diff)?\b|security\.metacpan\.org\/patches\/|\.(patch|diff)$|metacpan\.org\/release\/.+\/diff\//i],
  ['vdb', /^https?:\/\/(www\.)?(cve\.org\/CVERecord|cve\.mitre\.org\/|nvd\.nist\.gov\/vuln\/)/i],
  ['advisory', /github\.com\/advisories\/GHSA-|\/security\/advisories\/|(www\.)?debian\.org\/security\/|lists\.debian\.org\/debian-(lts-|security-)?announce|security\.gentoo\.org\/glsa|(access|rhn)\.redhat\.com\/errata|usn\.ubuntu\.com\/|ubuntu\.com\/usn\/|security\.freebsd\.org\/advisories|-security-announce\/|\/advisories\/|\/advisory\/|\/security-alerts\/|\/security\/advisory|\/sa-core-|snyk\.io\/vuln|\/glsa\//i],
  ['report', /rt\.cpan\.org\/|rt\.perl\.org\/|\/issues\/\d+|show_bug\.cgi|bugs\.[a-z.]+\/|bugzilla\.|\/ticket\/\d+|\/bug\/\d+/i],
  ['discussion', /openwall\.com\/lists\/|seclists\.org\/|lists\.apache\.org\/thread|mail-archives\.apache\.org\/|nntp\.perl\.org\/|marc\.info\/|groups\.google\.com\/|\/pipermail\/|\/mailman\/|lists\.[a-z.]+\/(archives|pipermail)\//i],
  ['evidence', /packetstormsecurity\.|exploit-db\.com\/|\/exploits?\//i],
  ['release-notes', /metacpan\.org\/changes\/|\/Changes(\.md|\.pod)?$|\/CHANGES(\.md)?$|\/NEWS$|\/release-notes|\/releases\/tag\//i],
  ['package', /^https?:\/\/(www\.)?metacpan\.org\/(release|dist)\/[^/]+(\/[^/]+)?\/?$|search\.cpan\.org\/dist\//i],
  ['article', /\/blog\/|blog\.|\/articles?\//i],
];

export function referenceKind(url: string): ReferenceKind {
  for (const [kind, re] of RULES) if (re.test(url)) return kind;
  return 'web';
}

const OSV_TYPE: Record<ReferenceKind, OsvReferenceType> = {
  fix: 'FIX',
  advisory: 'ADVISORY',
  vdb: 'ADVISORY',
  report: 'REPORT',
  discussion: 'DISCUSSION',
  evidence: 'EVIDENCE',
  package: 'PACKAGE',
  'release-notes': 'WEB',
  article: 'ARTICLE',
  web: 'WEB',
};

/** CVE reference tags (CVE JSON 5 reference-tags list); kinds without a fitting tag get none. */
const CVE_TAG: Partial<Record<ReferenceKind, string>> = {
  fix: 'patch',
  advisory: 'third-party-advisory',
  vdb: 'vdb-entry',
  report: 'issue-tracking',
  discussion: 'mailing-list',
  evidence: 'exploit',
  'release-notes': 'release-notes',
  package: 'product',
};

/**
 * A reference as an RFC 3986 URI: characters a URI may not hold (`<`, `>`, `[`, `]`, spaces …, and a
 * `%` not starting an escape) are percent-encoded, as a browser would send them. The data has a few.
 */
export function asUri(url: string): string {
  return url.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]/gu, (c) => encodeURIComponent(c));
}

export function osvReferenceType(url: string): OsvReferenceType {
  return OSV_TYPE[referenceKind(url)];
}

export function cveReferenceTags(url: string): string[] {
  const tag = CVE_TAG[referenceKind(url)];
  return tag ? [tag] : [];
}
