/**
 * The ignore file (`.cpansec-ignore.yml`): advisories a project has reviewed and accepts, each with
 * a reason and an optional expiry date after which the finding comes back.
 *
 *   ignore:
 *     - id: CPANSA-Foo-2020-01      # an advisory id, or a CVE / GHSA alias
 *       reason: only the client side is used
 *       expires: 2027-01-31
 */
import { aliasesOf, type Advisory } from '../advisory/index.js';
import { CpansecError } from '../errors.js';
import { readYaml, yaml } from '../perl/index.js';
import type { IgnoredBy } from './finding.js';

export interface IgnoreRule {
  id: string;
  reason: string;
  /** YYYY-MM-DD: the rule holds through that day */
  expires?: string;
  file: string;
  line: number;
}

export function parseIgnoreFile(text: string, file: string): IgnoreRule[] {
  const { root, lineOf } = readYaml(text, file);
  if (root === null) return [];
  const list = yaml().isMap(root) ? root.get('ignore', true) : undefined;
  if (!yaml().isSeq(list)) throw new CpansecError('PARSE_ERROR', "expected a top-level 'ignore:' list", { file, line: 1 });
  return list.items.map((item) => {
    const line = lineOf(item);
    if (!yaml().isMap(item)) throw new CpansecError('PARSE_ERROR', 'each ignore entry must be a mapping with id and reason', { file, line });
    const get = (k: string): string | undefined => {
      const v = item.get(k, true);
      if (v === undefined || v === null) return undefined;
      if (!yaml().isScalar(v)) throw new CpansecError('PARSE_ERROR', `ignore entry: '${k}' must be a single value, not a list or mapping`, { file, line: lineOf(v) });
      const text = String(v.value).trim();
      return v.type === yaml().Scalar.PLAIN && ['~', 'null', ''].includes(text) ? undefined : text;
    };
    const id = get('id');
    const reason = get('reason');
    const expires = get('expires');
    if (!id) throw new CpansecError('PARSE_ERROR', "ignore entry without 'id'", { file, line });
    if (!reason) throw new CpansecError('PARSE_ERROR', `ignore entry ${id} needs a 'reason'`, { file, line });
    if (expires !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(expires)))) {
      throw new CpansecError('PARSE_ERROR', `ignore entry ${id}: expires '${expires}' is not a YYYY-MM-DD date`, { file, line });
    }
    return { id, reason, ...(expires ? { expires } : {}), file, line };
  });
}

export interface IgnoreDecision {
  ignored?: IgnoredBy;
  expiredIgnore?: IgnoredBy;
}

/** Does a rule hide this advisory on `today` (YYYY-MM-DD)? An expired rule is reported as such. */
export function applyIgnores(advisory: Advisory, rules: IgnoreRule[], today: string): IgnoreDecision {
  if (rules.length === 0) return {};
  const keys = new Set([advisory.id, ...aliasesOf(advisory)].map((k) => k.toUpperCase()));
  const decision: IgnoreDecision = {};
  for (const rule of rules) {
    if (!keys.has(rule.id.toUpperCase())) continue;
    const by: IgnoredBy = { reason: rule.reason, source: `${rule.file}:${rule.line}`, ...(rule.expires ? { expires: rule.expires } : {}) };
    if (rule.expires && rule.expires < today) decision.expiredIgnore = by;
    else return { ignored: by };
  }
  return decision;
}
