/**
 * /.well-known/security.txt (RFC 9116) from the server's settings: where to report (the form and
 * the team's address), until when the file is current, the policy page, and its own address.
 */
import { REPORT_PATH, type ReportContact } from './pages/report.js';

/** how long a served file stays current; regenerated on every day, so always far from expiry */
const LIFETIME_DAYS = 180;

export interface SecurityTxtOptions extends ReportContact {
  /** absolute base URL of the site, no trailing slash */
  baseUrl: string;
  now: Date;
}

/** The file's text: one field a line, CRLF-free (RFC 9116 §2.2 allows LF), Contact first in preference. */
export function securityTxt(o: SecurityTxtOptions): string {
  // the day, not the moment: the same file (and ETag) all day
  const day = new Date(Date.UTC(o.now.getUTCFullYear(), o.now.getUTCMonth(), o.now.getUTCDate()));
  const expires = new Date(day.getTime() + LIFETIME_DAYS * 86_400_000);
  const contacts = [...(o.formUrl ? [`${o.baseUrl}${o.formUrl}`] : []), `mailto:${o.teamAddress}`];
  return [
    '# Security contact of the CPAN Security Working Group for distributions on CPAN (RFC 9116).',
    `# Scope and what to report: ${o.baseUrl}${REPORT_PATH}`,
    ...contacts.map((c) => `Contact: ${c}`),
    `Expires: ${expires.toISOString().replace('.000Z', 'Z')}`,
    `Policy: ${o.baseUrl}${REPORT_PATH}`,
    'Preferred-Languages: en',
    `Canonical: ${o.baseUrl}/.well-known/security.txt`,
    '',
  ].join('\n');
}
