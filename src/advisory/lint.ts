/**
 * The advisory linter: what a reviewer of an advisory file should be told, with file:line.
 * Errors make a file unusable or wrong (bad ranges, duplicate ids, missing fields); warnings are
 * spellings and conventions the real data breaks but a reader can still interpret.
 */
import { parseRange } from '../perl/index.js';
import { controlCharacters } from './control/index.js';
import type { AdvisoryReport } from './report.js';
import { isCanonicalSeverity } from './severity.js';
import { recordShapeProblems } from './shape.js';
import { isCveId, isCweId, isGhsaId } from './weakness.js';

export interface LintProblem {
  file: string;
  line: number;
  level: 'error' | 'warning';
  /** stable rule name, for counting and for ignoring */
  rule: string;
  message: string;
  id?: string;
}

const REQUIRED = ['id', 'affected_versions', 'cves', 'description', 'reported', 'references'];
const LIST_FIELDS = ['affected_versions', 'fixed_versions', 'cves', 'github_security_advisory', 'references'];
const KNOWN_FIELDS = new Set([
  ...REQUIRED, 'fixed_versions', 'github_security_advisory', 'severity', 'cvss', 'embedded_vulnerability',
  'external_vulnerability', 'reviewed_by', 'previous_id', 'comment', 'distribution', 'generated', 'cwes', 'withdrawn',
]);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** The id form the data's README gives: CPANSA-<Dist>-YYYY-NN (NN: two or more digits). */
const ID_FORM = /^CPANSA-[A-Za-z0-9][\w.+-]*?-\d{4}-\d{2,}$/;
/** util/invert-third-party.pl's ids for an embedded library: CPANSA-<Dist>-<CVE year>-<CVE number>-<library> */
const GENERATED_ID = /^CPANSA-.+-(\d{4})-(\d+)-[A-Za-z][\w.+-]*$/;
/** Text fields where newlines and tabs are layout; anywhere else they are control characters too. */
const MULTILINE = new Set(['description', 'comment']);

/** What is wrong with an id's form, or undefined when it has the expected one. */
function idFormProblem(id: string, cves: unknown): string | undefined {
  if (ID_FORM.test(id)) return undefined;
  const g = GENERATED_ID.exec(id);
  if (g && Array.isArray(cves) && cves.includes(`CVE-${g[1]}-${g[2]}`)) {
    return 'id has the generated form CPANSA-<Dist>-<CVE year>-<CVE number>-<library> (util/invert-third-party.pl), not CPANSA-<Dist>-YYYY-NN';
  }
  return 'id does not follow CPANSA-<Dist>-YYYY-NN (YYYY a year, NN a number of two or more digits)';
}

/** Every string of a record with the key (and list index) it sits under. */
function strings(raw: Record<string, unknown>): { key: string; index?: number; text: string }[] {
  const out: { key: string; index?: number; text: string }[] = [];
  const walk = (v: unknown, key: string, index: number | undefined, depth: number) => {
    if (typeof v === 'string') out.push({ key, ...(index !== undefined ? { index } : {}), text: v });
    else if (depth > 8) return;
    else if (Array.isArray(v)) v.forEach((x, i) => walk(x, key, index ?? i, depth + 1));
    else if (v && typeof v === 'object') for (const x of Object.values(v)) walk(x, key, index, depth + 1);
  };
  for (const [key, v] of Object.entries(raw)) walk(v, key, undefined, 0);
  return out;
}

/** An entry without its ranges, to tell a split advisory from a reused id. */
function withoutRanges(raw: Record<string, unknown>): string {
  const rest: Record<string, unknown> = { ...raw, affected_versions: undefined, fixed_versions: undefined };
  return JSON.stringify(Object.keys(rest).sort().map((k) => [k, rest[k]]));
}

export interface LintOptions {
  /** distributions known to exist (the database's release lists); unknown ones are reported */
  knownDistributions?: Set<string>;
}

export function lintReports(reports: AdvisoryReport[], options: LintOptions = {}): LintProblem[] {
  const problems: LintProblem[] = [];
  const seen = new Map<string, { where: string; distribution: string; body: string }>();
  for (const report of reports) {
    const { file } = report;
    const add = (line: number, level: LintProblem['level'], rule: string, message: string, id?: string) =>
      problems.push({ file, line, level, rule, message, ...(id ? { id } : {}) });

    if (!report.distribution) add(1, 'error', 'missing-distribution', "the report names no 'distribution'");
    else if (options.knownDistributions && !options.knownDistributions.has(report.distribution)) {
      add(1, 'warning', 'unknown-distribution', `distribution '${report.distribution}' is not in the release data`);
    }
    if (report.meta.cpansa_version !== undefined && String(report.meta.cpansa_version) !== '2') {
      add(1, 'warning', 'cpansa-version', `cpansa_version ${String(report.meta.cpansa_version)} (expected 2)`);
    }

    report.raw.forEach((raw, i) => {
      const lines = report.lines[i]!;
      const at = (key: string, item?: number) => (item !== undefined ? lines.items[key]?.[item] : undefined) ?? lines.keys[key] ?? lines.start;
      const id = typeof raw.id === 'string' ? raw.id : undefined;
      const where = (level: LintProblem['level'], rule: string, key: string, message: string, item?: number) =>
        add(at(key, item), level, rule, id ? `${id}: ${message}` : message, id);

      for (const key of REQUIRED) {
        if (!(key in raw)) where('error', 'missing-field', key, `missing '${key}'`);
      }
      for (const key of Object.keys(raw)) {
        if (!KNOWN_FIELDS.has(key) && !key.startsWith('x-')) where('warning', 'unknown-field', key, `unknown field '${key}'`);
      }
      for (const key of LIST_FIELDS) {
        const v = raw[key];
        if (v !== undefined && v !== null && !Array.isArray(v)) {
          where('warning', 'not-a-list', key, `'${key}' is a plain value, not a list (older database layout)`);
        }
      }

      for (const problem of recordShapeProblems(raw)) {
        // a missing id is reported as a missing field
        if (problem.key !== 'id' || 'id' in raw) where('error', 'invalid-type', problem.key, problem.message, problem.index);
      }
      for (const { key, index, text } of strings(raw)) {
        const found = controlCharacters(text, { newlines: MULTILINE.has(key) });
        if (found.length) {
          where('error', 'control-character', key, `'${key}' holds control characters (${found.join(' ')}): a terminal would run them`, index);
        }
      }

      if (id) {
        const form = idFormProblem(id, raw.cves);
        if (form) where('warning', 'id-format', 'id', form);
        const first = seen.get(id);
        if (!first) seen.set(id, { where: `${file}:${at('id')}`, distribution: report.distribution, body: withoutRanges(raw) });
        else if (first.distribution === report.distribution && first.body === withoutRanges(raw)) {
          // util/invert-third-party.pl writes one entry per shipped library version: the same
          // advisory split by range, which readers must OR together
          where('warning', 'split-advisory', 'id', `the same advisory as ${first.where} with other ranges: merge them into one entry`);
        } else where('error', 'duplicate-id', 'id', `duplicate id (first in ${first.where})`);
        const dist = report.distribution;
        if (dist && !new RegExp(`^CPANSA-${escapeRe(dist)}-\\d{4}-\\d+(-[\\w.+-]+)?$`).test(id)) {
          where('warning', 'id-mismatch', 'id', `id does not match distribution '${dist}' (expected CPANSA-${dist}-YYYY-NN)`);
        }
      }

      for (const key of ['affected_versions', 'fixed_versions']) {
        const v = raw[key];
        const elements = v === null || v === undefined ? [] : Array.isArray(v) ? v : [v];
        if (key === 'affected_versions' && elements.length === 0) {
          where('error', 'empty-affected', key, 'no affected versions: the advisory can never match');
        }
        elements.forEach((element, i) => {
          try {
            const range = parseRange([String(element)]);
            for (const clause of range.alternatives.flat()) {
              if (clause.oddSpelling === 'bare') {
                where('warning', 'bare-version', key, `'${clause.text}' has no operator (read as '>=${clause.text}')`, i);
              } else if (clause.oddSpelling === 'single-equals') {
                where('warning', 'single-equals', key, `'${clause.text}' uses '=' (read as '==')`, i);
              }
            }
          } catch (e) {
            where('error', 'invalid-range', key, (e as Error).message, i);
          }
        });
      }

      const severity = raw.severity;
      if (typeof severity === 'string' && !isCanonicalSeverity(severity)) {
        where('warning', 'free-text-severity', 'severity', `severity '${severity}' is not one of critical, high, medium, low`);
      }
      const reported = raw.reported;
      if (typeof reported === 'string' && !DATE.test(reported)) {
        where('error', 'invalid-date', 'reported', `reported '${reported}' is not YYYY-MM-DD`);
      }
      (Array.isArray(raw.cves) ? raw.cves : []).forEach((cve, i) => {
        if (!isCveId(String(cve))) {
          const placeholder = /^CVE-\d{4}-\d{4,}$/.test(String(cve));
          where('error', 'invalid-cve', 'cves', `'${String(cve)}' is not a CVE id${placeholder ? ' (a placeholder: no CVE id has year before 1999 or number 0)' : ''}`, i);
        }
      });
      (Array.isArray(raw.cwes) ? raw.cwes : []).forEach((cwe, i) => {
        if (!isCweId(String(cwe))) where('error', 'invalid-cwe', 'cwes', `'${String(cwe)}' is not a CWE id (CWE-<number>)`, i);
      });
      const withdrawn = raw.withdrawn as Record<string, unknown> | undefined;
      if (withdrawn && typeof withdrawn === 'object' && (typeof withdrawn.date !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(withdrawn.date) || typeof withdrawn.reason !== 'string' || !withdrawn.reason.trim())) {
        where('error', 'invalid-withdrawn', 'withdrawn', "'withdrawn' must be {date: RFC 3339 UTC time, reason: text}");
      }
      (Array.isArray(raw.github_security_advisory) ? raw.github_security_advisory : []).forEach((g, i) => {
        if (!isGhsaId(String(g))) where('warning', 'invalid-ghsa', 'github_security_advisory', `'${String(g)}' is not a GHSA id`, i);
      });
      if (typeof raw.description === 'string' && raw.description.trim() === '') {
        where('error', 'missing-field', 'description', 'empty description');
      }
    });
  }
  return problems;
}

/** Counts by rule, for summaries. */
export function countByRule(problems: LintProblem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.rule, (counts.get(p.rule) ?? 0) + 1);
  return counts;
}


