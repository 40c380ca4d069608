/**
 * A case: one private vulnerability report and everything the team does with it. The intake
 * fields are validated here (types, lengths, control characters, version ranges read by our
 * version.pm rules) so that a case in the store is always well-formed, whatever the form or the
 * JSON body held.
 */
import type { CvssScore, Severity } from '../advisory/index.js';
import { parseRange } from '../perl/index.js';
import type { EscalationStep } from './contact.js';
import type { DownstreamNotice } from './downstream.js';
import type { Draft } from './draft.js';
import { parseEncryptionKey, type EncryptionKey } from './encryption-key.js';
import type { CaseState } from './lifecycle.js';
import type { ScopeDecision } from './scope.js';
import { email, invalid, optionalText, text, textList } from './text.js';

export interface Report {
  distribution: string;
  /** advisory range syntax, one alternative per element (`< 1.23`, `>= 2.0, < 2.4`) */
  affectedVersions: string[];
  description: string;
  /** proof of concept or steps to reproduce, null when none was given */
  proof: string | null;
  reporter: { name: string | null; email: string };
  /** how the reporter wants to be credited; null: not credited by name */
  credit: string | null;
  encryptionKey: EncryptionKey | null;
}

export interface ScopeRecord {
  decision: ScopeDecision;
  /** the team's own call when it differs from the rule, with why */
  override: { inScope: boolean; reason: string; by: string; at: string } | null;
}

export interface Assessment {
  scope: ScopeRecord | null;
  cvss: CvssScore[];
  /** CWE-<n> ids */
  cwes: string[];
  severity: Severity | null;
  /** the team's reading of the affected versions (the report's until triage says otherwise); absent in older records */
  affectedVersions?: string[];
  /** the versions that fix it, once known; absent in older records */
  fixedVersions?: string[];
}

export interface Embargo {
  endsAt: string;
  setAt: string;
  setBy: string;
  /** lead times (days before the end) whose reminder has been queued */
  remindersSent: number[];
  /** when the team was told that the end passed without publication */
  expiryFlaggedAt: string | null;
}

export interface Case {
  /** internal random id */
  id: string;
  /** public reference, CPANSEC-YYYY-XXXX-XXXX */
  reference: string;
  state: CaseState;
  /** optimistic concurrency: every update writes version + 1 */
  version: number;
  createdAt: string;
  updatedAt: string;
  report: Report;
  reporterAccountId: string | null;
  authorAccountIds: string[];
  /** reference of the case this one duplicates */
  duplicateOf: string | null;
  assessment: Assessment;
  embargo: Embargo | null;
  draft: Draft | null;
  cve: string | null;
  publishedAt: string | null;
  /** the last author-contact escalation step the team was told about */
  escalationNotified: EscalationStep | null;
  /** the team member who leads the case (staff account id); absent in older records */
  assigneeAccountId?: string | null;
  /** the idempotency key it was filed with (SHA-256 of the key, and of the report as sent), so a retry files nothing new */
  intake?: { keyHash: string; bodyHash: string } | null;
  /** the author's response deadline agreed for this case (else the team's policy applies); absent in older records */
  authorDeadline?: string | null;
  /** pre-notification of downstream packagers: what they read and with whom it is shared; absent until shared */
  downstream?: DownstreamNotice | null;
}

export const REPORT_LIMITS = {
  distribution: 128,
  range: 200,
  ranges: 20,
  description: 20_000,
  proof: 100_000,
  name: 200,
  credit: 200,
} as const;

const DIST = /^[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;
const REPORT_KEYS = new Set(['distribution', 'affectedVersions', 'description', 'proof', 'reporterName', 'reporterEmail', 'credit', 'encryptionKey']);

/** A CPAN distribution name (Foo-Bar, libwww-perl); a module name gets a hint. */
export function distributionName(value: unknown, field = 'distribution'): string {
  const s = text(value, field, { max: REPORT_LIMITS.distribution });
  if (s.includes('::')) throw invalid(field, `'${s}' is a module name; give its distribution (e.g. ${s.replace(/::/g, '-')})`);
  if (!DIST.test(s)) throw invalid(field, `'${s}' is not a CPAN distribution name`);
  return s;
}

/** Version ranges in the advisory syntax, each with an explicit operator (a bare version is ambiguous in a report). */
export function versionRanges(value: unknown, field: string, options: { min?: number } = {}): string[] {
  const list = textList(value, field, { max: REPORT_LIMITS.range, maxItems: REPORT_LIMITS.ranges, minItems: options.min ?? 1 });
  list.forEach((element, i) => {
    const where = `${field}[${i}]`;
    let range;
    try {
      range = parseRange([element]);
    } catch (e) {
      throw invalid(where, (e as Error).message);
    }
    for (const clause of range.alternatives.flat()) {
      if (clause.oddSpelling === 'bare') throw invalid(where, `'${clause.text}' needs an operator: '<= ${clause.text}', '== ${clause.text}' or '>= ${clause.text}'`);
      if (clause.oddSpelling === 'single-equals') throw invalid(where, `'${clause.text}': write '==' for an exact version`);
    }
  });
  return list;
}

/**
 * The intake form or JSON body as a Report. Unknown keys are refused (a typo must not silently
 * drop what the reporter wrote).
 */
export function validateReport(input: unknown): Report {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw invalid('report', 'must be an object');
  const o = input as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!REPORT_KEYS.has(key)) throw invalid(key, `unknown field (expected: ${[...REPORT_KEYS].join(', ')})`);
  }
  return {
    distribution: distributionName(o.distribution),
    affectedVersions: versionRanges(o.affectedVersions, 'affectedVersions'),
    description: text(o.description, 'description', { max: REPORT_LIMITS.description, min: 20, multiline: true }),
    proof: optionalText(o.proof, 'proof', { max: REPORT_LIMITS.proof, multiline: true }),
    reporter: {
      name: optionalText(o.reporterName, 'reporterName', { max: REPORT_LIMITS.name }),
      email: email(o.reporterEmail, 'reporterEmail'),
    },
    credit: optionalText(o.credit, 'credit', { max: REPORT_LIMITS.credit }),
    encryptionKey: parseEncryptionKey(o.encryptionKey),
  };
}

/** A report amended by its reporter or the team: the fields given replace the old ones, all checked again. */
export function applyReportEdit(report: Report, edit: unknown): Report {
  if (edit === null || typeof edit !== 'object' || Array.isArray(edit)) throw invalid('edit', 'must be an object');
  const e = edit as Record<string, unknown>;
  const allowed = new Set(['distribution', 'affectedVersions', 'description', 'proof', 'credit', 'encryptionKey']);
  for (const key of Object.keys(e)) if (!allowed.has(key)) throw invalid(key, 'cannot be edited');
  const merged = {
    distribution: 'distribution' in e ? e.distribution : report.distribution,
    affectedVersions: 'affectedVersions' in e ? e.affectedVersions : report.affectedVersions,
    description: 'description' in e ? e.description : report.description,
    proof: 'proof' in e ? e.proof : report.proof,
    reporterName: report.reporter.name,
    reporterEmail: report.reporter.email,
    credit: 'credit' in e ? e.credit : report.credit,
    encryptionKey: 'encryptionKey' in e ? e.encryptionKey : report.encryptionKey?.text ?? null,
  };
  return validateReport(merged);
}

export function emptyAssessment(): Assessment {
  return { scope: null, cvss: [], cwes: [], severity: null };
}

/** A case as intake files it: received, its first version, nothing assessed, decided or published yet. */
export function newCase(fields: { id: string; reference: string; report: Report; reporterAccountId: string | null; at: string }): Case {
  return {
    id: fields.id,
    reference: fields.reference,
    state: 'received',
    version: 1,
    createdAt: fields.at,
    updatedAt: fields.at,
    report: fields.report,
    reporterAccountId: fields.reporterAccountId,
    authorAccountIds: [],
    duplicateOf: null,
    assessment: emptyAssessment(),
    embargo: null,
    draft: null,
    cve: null,
    publishedAt: null,
    escalationNotified: null,
  };
}
