/**
 * The types a CPANSA record's fields must have (the YAML report entry and the compiled JSON entry
 * alike). `fromCpansaRecord` is lenient about spellings the real data has (a plain string for a
 * list, numbers for versions, nulls); a value of the wrong kind — a mapping where a list of ranges
 * belongs, a list where the description belongs — is reported here instead of read as nothing.
 */

export interface ShapeProblem {
  /** the record's key, and the list index when an element is wrong */
  key: string;
  index?: number;
  message: string;
}

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => typeof v === 'object' && v !== null && !Array.isArray(v);
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';
const absent = (v: unknown) => v === null || v === undefined;

/** A value as a message names it. */
export function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  const s = String(v);
  return typeof v === 'string' ? `'${s.length > 40 ? `${s.slice(0, 40)}…` : s}'` : `${typeof v} ${s}`;
}

const LISTS = ['affected_versions', 'fixed_versions', 'cves', 'references', 'github_security_advisory', 'previous_id', 'cwes'];
const TEXTS = ['description', 'severity', 'reported', 'comment', 'distribution'];
const MAPPINGS = ['embedded_vulnerability', 'external_vulnerability', 'generated', 'withdrawn'];

/** Problems of a record's shape; empty when every field has a type the readers understand. */
export function recordShapeProblems(raw: unknown): ShapeProblem[] {
  if (!isObject(raw)) return [{ key: '', message: `expected an advisory (a mapping), got ${kindOf(raw)}` }];
  const problems: ShapeProblem[] = [];
  const add = (key: string, message: string, index?: number) => problems.push({ key, message, ...(index !== undefined ? { index } : {}) });
  if (typeof raw.id !== 'string' || raw.id.trim() === '') add('id', `'id' must be a non-empty string, got ${kindOf(raw.id)}`);
  // indexed loops: checked for every advisory an audit reads, without the optimising compiler
  for (let k = 0; k < LISTS.length; k++) {
    const key = LISTS[k]!;
    const v = raw[key];
    if (absent(v) || isScalar(v)) continue;
    if (!Array.isArray(v)) add(key, `'${key}' must be a list of strings, got ${kindOf(v)}`);
    else v.forEach((x, i) => !absent(x) && !isScalar(x) && add(key, `'${key}' item ${i + 1} must be a string, got ${kindOf(x)}`, i));
  }
  for (let k = 0; k < TEXTS.length; k++) {
    const key = TEXTS[k]!;
    if (!absent(raw[key]) && !isScalar(raw[key])) add(key, `'${key}' must be a string, got ${kindOf(raw[key])}`);
  }
  for (let k = 0; k < MAPPINGS.length; k++) {
    const key = MAPPINGS[k]!;
    if (!absent(raw[key]) && !isObject(raw[key])) add(key, `'${key}' must be a mapping, got ${kindOf(raw[key])}`);
  }
  const cvss = raw.cvss;
  if (!absent(cvss)) {
    const items = Array.isArray(cvss) ? cvss : [cvss];
    items.forEach((c, i) => {
      if (typeof c !== 'string' && !(isObject(c) && typeof c.vector === 'string')) add('cvss', `'cvss' must be vector strings or {version, vector}, got ${kindOf(c)}`, i);
    });
  }
  const reviewers = raw.reviewed_by;
  if (!absent(reviewers) && !(Array.isArray(reviewers) && reviewers.every(isObject))) {
    add('reviewed_by', `'reviewed_by' must be a list of {name, email, date}, got ${kindOf(reviewers)}`);
  }
  return problems;
}
