/**
 * The outcome of an accepted case: the advisory in our format (the `Advisory` model, written as a
 * CPANSA report) and the CNA fields a CVE JSON 5 record needs beyond it — title, module, PAUSE
 * author, CWEs, credits, timeline, tagged references, solution — named as the CPANSec CNA's own
 * input (CPAN-Security/cna-tool, schema cpansec-cna-schema-01) names them. The CVE JSON 5 record
 * itself is built by src/publish from a `CveRecordInput`.
 */
import type { Advisory, LintProblem, Severity } from '../advisory/index.js';
import { lintReports, readReport, REFERENCE_TAGS, writeReport, type ReferenceTag } from '../advisory/index.js';
import { parseRange } from '../perl/index.js';
import type { Case } from './case.js';
import { versionRanges } from './case.js';
import { cvssScoreOf } from './cvss.js';
import { CWE_NAMES } from './cwe-names.js';
import { invalid, optionalText, text, textList, url } from './text.js';

export const CREDIT_TYPES = [
  'finder', 'reporter', 'analyst', 'coordinator', 'remediation developer', 'remediation reviewer',
  'remediation verifier', 'tool', 'sponsor', 'other',
] as const;
export type CreditType = (typeof CREDIT_TYPES)[number];

/** The reference tags CVE JSON 5 and the CNA tool accept. */
export { REFERENCE_TAGS, type ReferenceTag };

export interface CnaReference {
  url: string;
  name?: string;
  tags: ReferenceTag[];
}

export interface Cwe {
  /** CWE-<n> */
  id: string;
  /** the weakness's name, e.g. "Improper Neutralization of Input During Web Page Generation" */
  name: string;
}

export interface CnaFields {
  /** headline of the CVE record (at most 256 characters) */
  title: string;
  /** the affected module (main module of the distribution by default) */
  module: string;
  /** the distribution's PAUSE author id, upper case; needed for a CVE record */
  author: string | null;
  repo: string | null;
  cwes: Cwe[];
  /** affected files and routines, when known */
  files: string[];
  routines: string[];
  solution: string[];
  mitigation: string[];
  /** CAPEC-<n> Name */
  impacts: string[];
  credits: { type: CreditType; value: string; lang: string }[];
  /** hand-written timeline events; the lifecycle's own (reported, contacted, fixed, published) are added from the audit log */
  timeline: { time: string; value: string }[];
  /** references with CVE tags; the advisory's plain `references` are their URLs */
  references: CnaReference[];
}

export interface Draft {
  advisory: Advisory;
  cna: CnaFields;
  updatedAt: string;
  updatedBy: string;
}

/** Everything a CVE JSON 5 builder needs for one case. */
export interface CveRecordInput {
  cveId: string;
  advisory: Advisory;
  cna: CnaFields;
  /** when the case became public (ISO 8601), null before publication */
  datePublic: string | null;
  /** the draft's timeline plus the lifecycle events, oldest first */
  timeline: { time: string; value: string }[];
}

const PAUSE_ID = /^[A-Z][A-Z0-9-]{1,8}$/;
const MODULE = /^[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z0-9_]+)*$/;
const CWE_ID = /^CWE-[1-9]\d*$/;
const CAPEC = /^CAPEC-[0-9]+ [A-Za-z0-9 \-.,]+$/;
const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

/** The advisory id for a case: from its CVE when it has one (as the CPANSA data does), else the next counter of the year. */
export function advisoryIdFor(distribution: string, cve: string | null, year: number, takenIds: Iterable<string>): string {
  if (cve) {
    const [, y, n] = /^CVE-(\d{4})-(\d+)$/.exec(cve)!;
    return `CPANSA-${distribution}-${y}-${n}`;
  }
  const prefix = `CPANSA-${distribution}-${year}-`;
  let max = 0;
  for (const id of takenIds) {
    // counters have one to three digits; longer numbers are CVE numbers, not a sequence
    const n = id.startsWith(prefix) ? /^(\d{1,3})(?!\d)/.exec(id.slice(prefix.length))?.[1] : undefined;
    if (n) max = Math.max(max, Number(n));
  }
  return `${prefix}${String(max + 1).padStart(2, '0')}`;
}

export interface NewDraftOptions {
  now: Date;
  by: string;
  /** advisory ids already taken for this distribution (the index's and other cases') */
  takenIds: Iterable<string>;
  /** main module of the distribution, when known */
  mainModule?: string;
}

/** "versions before 1.24", "versions through 1.23", "versions from 1.0 before 1.24": the CNA's title phrase for one range. */
function versionPhrase(element: string): string | undefined {
  const cna = cnaAffected(element);
  if (cna === undefined) return undefined;
  let m;
  if ((m = /^< (\S+)$/.exec(cna))) return `versions before ${m[1]}`;
  if ((m = /^<= (\S+)$/.exec(cna))) return `versions through ${m[1]}`;
  if ((m = /^(\S+) < (\S+)$/.exec(cna))) return `versions from ${m[1]} before ${m[2]}`;
  if ((m = /^(\S+) <= (\S+)$/.exec(cna))) return `versions from ${m[1]} through ${m[2]}`;
  return `version ${cna}`;
}

/** The report's description cut at a paragraph boundary to what an advisory description holds. */
function descriptionOf(report: string, max = 10_000): string {
  if (report.length <= max) return report;
  const cut = report.lastIndexOf('\n\n', max);
  return (cut > 0 ? report.slice(0, cut) : report.slice(0, report.lastIndexOf(' ', max))).trim();
}

/**
 * A first draft from an accepted case, filled from what the case knows — the report's
 * description, the affected and fixed versions of the triage (the report's while triage said
 * nothing), CWEs, CVSS and severity, the title in the CNA's form, the reporter's credit as they
 * asked for it at filing (none when they gave none). The team edits it before publication.
 */
export function newDraft(c: Case, options: NewDraftOptions): Draft {
  const dist = c.report.distribution;
  const severity: Severity | null = c.assessment.severity;
  const affected = c.assessment.affectedVersions?.length ? c.assessment.affectedVersions : c.report.affectedVersions;
  const module = options.mainModule ?? dist.replace(/-/g, '::');
  const phrase = affected.length === 1 ? versionPhrase(affected[0]!) : undefined;
  const advisory: Advisory = {
    id: advisoryIdFor(dist, c.cve, options.now.getUTCFullYear(), options.takenIds),
    distribution: dist,
    affectedVersions: [...affected],
    fixedVersions: [...(c.assessment.fixedVersions ?? [])],
    cves: c.cve ? [c.cve] : [],
    ghsas: [],
    severityText: severity,
    severity,
    cvss: c.assessment.cvss.map((x) => ({ ...x })),
    references: [],
    description: descriptionOf(c.report.description),
    reported: c.createdAt.slice(0, 10),
    reviewedBy: [],
    previousIds: [],
    extra: {},
  };
  const cna: CnaFields = {
    title: phrase ? `${module} ${phrase} for Perl` : '',
    module,
    author: null,
    repo: null,
    cwes: c.assessment.cwes.map((id) => ({ id, name: CWE_NAMES[id] ?? id })),
    files: [],
    routines: [],
    solution: c.assessment.fixedVersions?.length ? [`Upgrade to ${c.assessment.fixedVersions.join(' or ')} or later.`.replace(/>=\s*/g, '')] : [],
    mitigation: [],
    impacts: [],
    credits: c.report.credit ? [{ type: 'finder', value: c.report.credit, lang: 'en' }] : [],
    timeline: [],
    references: [],
  };
  return { advisory, cna, updatedAt: options.now.toISOString(), updatedBy: options.by };
}

function list<T>(value: unknown, field: string, max: number, each: (v: unknown, where: string) => T): T[] {
  const items = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  if (items.length > max) throw invalid(field, `has too many entries (at most ${max})`);
  return items.map((v, i) => each(v, `${field}[${i}]`));
}

function obj(v: unknown, where: string): Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw invalid(where, 'must be an object');
  return v as Record<string, unknown>;
}

const ADVISORY_EDITS = new Set(['affectedVersions', 'fixedVersions', 'description', 'severity', 'cvss', 'references', 'comment']);
const CNA_EDITS = new Set(['title', 'module', 'author', 'repo', 'cwes', 'files', 'routines', 'solution', 'mitigation', 'impacts', 'credits', 'timeline', 'references']);

/**
 * The draft with the team's edits applied, each field checked. `patch.advisory` and `patch.cna`
 * hold the fields to replace; a draft may be incomplete (the linter says what is missing).
 */
export function applyDraftEdit(draft: Draft, patch: unknown, by: string, now: Date): Draft {
  const p = obj(patch, 'draft');
  for (const key of Object.keys(p)) if (key !== 'advisory' && key !== 'cna') throw invalid(key, "unknown part (expected 'advisory' or 'cna')");
  const a = p.advisory === undefined ? {} : obj(p.advisory, 'advisory');
  const c = p.cna === undefined ? {} : obj(p.cna, 'cna');
  for (const key of Object.keys(a)) if (!ADVISORY_EDITS.has(key)) throw invalid(`advisory.${key}`, 'cannot be edited');
  for (const key of Object.keys(c)) if (!CNA_EDITS.has(key)) throw invalid(`cna.${key}`, 'cannot be edited');

  const advisory: Advisory = { ...draft.advisory };
  if ('affectedVersions' in a) advisory.affectedVersions = versionRanges(a.affectedVersions, 'advisory.affectedVersions');
  if ('fixedVersions' in a) advisory.fixedVersions = versionRanges(a.fixedVersions, 'advisory.fixedVersions', { min: 0 });
  if ('description' in a) advisory.description = text(a.description, 'advisory.description', { max: 10_000, multiline: true });
  if ('severity' in a) {
    const s = a.severity === null || a.severity === '' ? null : a.severity;
    if (s !== null && !['critical', 'high', 'medium', 'low'].includes(String(s))) throw invalid('advisory.severity', 'must be critical, high, medium or low');
    advisory.severity = s as Severity | null;
    advisory.severityText = s as string | null;
  }
  if ('cvss' in a) {
    advisory.cvss = list(a.cvss, 'advisory.cvss', 4, (v, where) => {
      if (typeof v !== 'string') throw invalid(where, 'must be a CVSS vector');
      return cvssScoreOf(v);
    });
  }
  if ('references' in a) advisory.references = list(a.references, 'advisory.references', 100, (v, w) => url(v, w));
  if ('comment' in a) {
    const comment = optionalText(a.comment, 'advisory.comment', { max: 2000, multiline: true });
    if (comment === null) delete advisory.comment;
    else advisory.comment = comment;
  }

  const cna: CnaFields = { ...draft.cna };
  if ('title' in c) cna.title = optionalText(c.title, 'cna.title', { max: 256 }) ?? '';
  if ('module' in c) {
    const m = text(c.module, 'cna.module', { max: 200 });
    if (!MODULE.test(m)) throw invalid('cna.module', `'${m}' is not a module name`);
    cna.module = m;
  }
  if ('author' in c) {
    const id = optionalText(c.author, 'cna.author', { max: 9 });
    if (id !== null && !PAUSE_ID.test(id)) throw invalid('cna.author', `'${id}' is not a PAUSE id (upper case letters and digits)`);
    cna.author = id;
  }
  if ('repo' in c) cna.repo = c.repo === null || c.repo === '' ? null : url(c.repo, 'cna.repo');
  if ('cwes' in c) {
    cna.cwes = list(c.cwes, 'cna.cwes', 10, (v, w) => {
      const o = obj(v, w);
      const id = text(o.id, `${w}.id`, { max: 12 });
      if (!CWE_ID.test(id)) throw invalid(`${w}.id`, `'${id}' is not a CWE id (CWE-<number>)`);
      return { id, name: text(o.name, `${w}.name`, { max: 300 }) };
    });
  }
  for (const key of ['files', 'routines'] as const) {
    if (key in c) cna[key] = textList(c[key], `cna.${key}`, { max: 300, maxItems: 50 });
  }
  for (const key of ['solution', 'mitigation'] as const) {
    if (key in c) cna[key] = textList(c[key], `cna.${key}`, { max: 4000, maxItems: 10, multiline: true });
  }
  if ('impacts' in c) {
    cna.impacts = list(c.impacts, 'cna.impacts', 10, (v, w) => {
      const s = text(v, w, { max: 300 });
      if (!CAPEC.test(s)) throw invalid(w, `'${s}' is not 'CAPEC-<number> <name>'`);
      return s;
    });
  }
  if ('credits' in c) {
    cna.credits = list(c.credits, 'cna.credits', 20, (v, w) => {
      const o = obj(v, w);
      const type = String(o.type ?? 'finder') as CreditType;
      if (!CREDIT_TYPES.includes(type)) throw invalid(`${w}.type`, `must be one of ${CREDIT_TYPES.join(', ')}`);
      return { type, value: text(o.value, `${w}.value`, { max: 500 }), lang: 'en' };
    });
  }
  if ('timeline' in c) {
    cna.timeline = list(c.timeline, 'cna.timeline', 30, (v, w) => {
      const o = obj(v, w);
      const time = text(o.time, `${w}.time`, { max: 40 });
      if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.test(time) || Number.isNaN(new Date(time).getTime())) {
        throw invalid(`${w}.time`, `'${time}' is not a date (YYYY-MM-DD or ISO 8601)`);
      }
      return { time, value: text(o.value, `${w}.value`, { max: 1000 }) };
    });
  }
  if ('references' in c) {
    cna.references = list(c.references, 'cna.references', 100, (v, w) => {
      const o = obj(v, w);
      const tags = list(o.tags ?? ['misc'], `${w}.tags`, REFERENCE_TAGS.length, (t, tw) => {
        if (!REFERENCE_TAGS.includes(t as ReferenceTag)) throw invalid(tw, `'${String(t)}' is not a reference tag`);
        return t as ReferenceTag;
      });
      const name = optionalText(o.name, `${w}.name`, { max: 512 });
      return { url: url(o.url, `${w}.url`), ...(name ? { name } : {}), tags: [...new Set(tags)] };
    });
    // the advisory's reference list is the union, so the CPANSA report carries them too
    advisory.references = [...new Set([...advisory.references, ...cna.references.map((r) => r.url)])];
  }
  return { advisory, cna, updatedAt: now.toISOString(), updatedBy: by };
}

/** A range element in the CNA tool's version form ("1.0 <= 2.3", "< 2.3", "2.1"), or undefined when it has none. */
export function cnaAffected(element: string): string | undefined {
  let clauses;
  try {
    clauses = parseRange([element]).alternatives[0]!;
  } catch {
    return undefined;
  }
  const by = (op: string) => clauses.find((x) => x.op === op)?.version.original;
  if (clauses.length === 1 && clauses[0]!.op === '==') return clauses[0]!.version.original;
  if (clauses.length === 1 && (clauses[0]!.op === '<' || clauses[0]!.op === '<=')) return `${clauses[0]!.op} ${clauses[0]!.version.original}`;
  if (clauses.length === 2 && by('>=')) {
    const upper = clauses.find((x) => x.op === '<' || x.op === '<=');
    if (upper) return `${by('>=')} ${upper.op} ${upper.version.original}`;
  }
  return undefined;
}

export interface DraftLintOptions {
  /** distributions known to exist (the index's) */
  knownDistributions?: Set<string>;
  /** the case's CVE id: a CVE record is wanted, so the CNA fields must be complete */
  cve?: string | null;
}

/**
 * Problems of a draft: the advisory linter on the report we would write (so the published file is
 * one the linter accepts), then the CNA fields a CVE record needs.
 */
export function lintDraft(draft: Draft, options: DraftLintOptions = {}): LintProblem[] {
  const { advisory, cna } = draft;
  const file = `${advisory.distribution}.yml`;
  const problems = lintReports([readReport(writeReport(advisory.distribution, [advisory]), file)], {
    ...(options.knownDistributions ? { knownDistributions: options.knownDistributions } : {}),
  });
  const add = (level: LintProblem['level'], rule: string, message: string) => problems.push({ file: 'draft', line: 0, level, rule, message, id: advisory.id });
  if (advisory.description.trim() === '') add('error', 'missing-description', 'the advisory has no description');
  if (advisory.references.length === 0) add('error', 'missing-references', 'the advisory has no references (link the fix or the release notes)');
  if (advisory.severity === null) add('warning', 'missing-severity', 'no severity: set one, or a CVSS vector');
  if (options.cve) {
    if (!CVE_ID.test(options.cve)) add('error', 'invalid-cve', `'${options.cve}' is not a CVE id`);
    if (!advisory.cves.includes(options.cve)) add('error', 'cve-missing-from-advisory', `the advisory does not list ${options.cve}`);
    if (cna.title.trim() === '') add('error', 'missing-title', 'a CVE record needs a title');
    if (!cna.author) add('error', 'missing-author', "a CVE record needs the distribution's PAUSE author");
    if (cna.references.length === 0 && advisory.references.length === 0) add('error', 'missing-references', 'a CVE record needs a reference');
    if (cna.cwes.length === 0) add('warning', 'missing-cwe', 'no CWE: the CVE record will carry a text problem type only');
    advisory.affectedVersions.forEach((element) => {
      if (cnaAffected(element) === undefined) add('error', 'cna-range', `affected range '${element}' has no form in the CNA's version syntax (use '< X', '<= X', '>= A, < B' or '== X')`);
    });
  }
  return problems;
}

/** The CVE record's inputs: advisory, CNA fields and timeline. */
export function cveRecordInput(c: Case, lifecycleTimeline: { time: string; value: string }[]): CveRecordInput {
  if (!c.draft) throw invalid('draft', 'the case has no draft');
  if (!c.cve) throw invalid('cve', 'the case has no CVE id');
  const timeline = [...c.draft.cna.timeline, ...lifecycleTimeline].sort((x, y) => new Date(x.time).getTime() - new Date(y.time).getTime());
  return { cveId: c.cve, advisory: c.draft.advisory, cna: c.draft.cna, datePublic: c.publishedAt, timeline };
}

/**
 * The CPANSec CNA tool's input (`cpansec:` YAML, schema cpansec-cna-schema-01) for a case, the
 * form the CNA already uses; our tests validate it against that schema.
 */
export function cnaToolInput(input: CveRecordInput): { cpansec: Record<string, unknown> } {
  const { advisory, cna } = input;
  const out: Record<string, unknown> = {
    cve: input.cveId,
    distribution: advisory.distribution,
    module: cna.module,
    author: cna.author ?? '',
    ...(cna.repo ? { repo: cna.repo } : {}),
    affected: [...new Set(advisory.affectedVersions.map((e) => cnaAffected(e) ?? e))],
    title: cna.title,
    ...(cna.cwes.length ? { cwes: cna.cwes.map((w) => `${w.id} ${w.name}`) } : {}),
    ...(cna.files.length ? { files: cna.files } : {}),
    ...(cna.routines.length ? { routines: cna.routines } : {}),
    description: advisory.description,
    ...(cna.solution.length ? { solution: cna.solution } : {}),
    ...(cna.mitigation.length ? { mitigation: cna.mitigation } : {}),
    ...(cna.credits.length ? { credits: cna.credits.map((x) => ({ lang: x.lang, type: x.type, value: x.value })) } : {}),
    ...(cna.impacts.length ? { impacts: cna.impacts } : {}),
    ...(input.timeline.length ? { timeline: input.timeline } : {}),
    references: (cna.references.length ? cna.references : advisory.references.map((u): CnaReference => ({ url: u, tags: [] }))).map((r) => ({
      link: r.url,
      ...(r.name ? { name: r.name } : {}),
      ...(r.tags.length ? { tags: r.tags } : {}),
    })),
  };
  return { cpansec: out };
}
