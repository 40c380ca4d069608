/**
 * Every problem of a report form at once, each on its field, in a reporter's words: the domain's
 * validators (case.ts) stop at the first error and speak of `affectedVersions[0]`, which is right
 * for the API and no help to a person filling a form. A module name given as the distribution is
 * looked up in the index's module map ("Mojo::DOM is in the Mojolicious distribution").
 */
import type { VulnerabilityIndex } from '../index/index.js';
import { parseRange } from '../perl/index.js';
import { distributionName, REPORT_LIMITS, versionRanges } from './case.js';
import { parseEncryptionKey } from './encryption-key.js';
import { email, optionalText, text } from './text.js';

export interface FieldProblem {
  field: string;
  message: string;
}

const messageOf = (e: unknown, field: string) => (e as Error).message.replace(new RegExp(`^${field}(\\[\\d+\\])?: `), '');

function distributionProblem(value: unknown, index?: VulnerabilityIndex): string | undefined {
  const s = typeof value === 'string' ? value.trim() : '';
  if (s === '') return 'Give the name of the CPAN distribution, e.g. Mojolicious or libwww-perl.';
  if (/^[A-Za-z_][\w]*(::\w+)+$/.test(s) || (index?.db.moduleToDistribution.has(s) && !index.hasDistribution(s))) {
    const dist = index?.db.moduleToDistribution.get(s);
    if (dist) return `${s} is in the ${dist} distribution: give ${dist}.`;
    return `${s} is a module name; give the distribution it belongs to (often ${s.replace(/::/g, '-')}; metacpan.org shows it on the module's page).`;
  }
  try {
    distributionName(s);
    return undefined;
  } catch (e) {
    return `“${s.slice(0, 60)}” is not a CPAN distribution name: letters, digits and hyphens, e.g. Foo-Bar. (${messageOf(e, 'distribution')})`;
  }
}

function rangeProblems(value: unknown): string[] {
  const lines = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? value.split(/\r?\n/) : [];
  const list = lines.map((x) => x.trim()).filter(Boolean);
  if (list.length === 0) return ['Say which versions are affected, one range per line, e.g. “< 1.23” or “>= 2.0, < 2.4”.'];
  if (list.length > REPORT_LIMITS.ranges) return [`Give at most ${REPORT_LIMITS.ranges} ranges.`];
  const out: string[] = [];
  list.forEach((line, i) => {
    const where = list.length > 1 ? `Line ${i + 1} (“${line.slice(0, 40)}”)` : `“${line.slice(0, 40)}”`;
    try {
      parseRange([line]);
    } catch {
      out.push(`${where} is not a version range: write e.g. “< 1.23”, “<= 1.22” or “>= 2.0, < 2.4”.`);
      return;
    }
    try {
      versionRanges([line], 'affectedVersions');
    } catch (e) {
      const m = messageOf(e, 'affectedVersions');
      out.push(/needs an operator/.test(m) ? `${where} needs an operator: “<= ${line}” (up to and including it), “== ${line}” (only that one) or “>= ${line}” (from it on).` : `${where}: ${m}`);
    }
  });
  return out;
}

/** The problems of a report as the form sends it (see `validateReport` for the API's). */
export function reportProblems(input: Record<string, unknown>, index?: VulnerabilityIndex): FieldProblem[] {
  const out: FieldProblem[] = [];
  const add = (field: string, message: string | undefined) => {
    if (message) out.push({ field, message });
  };
  add('distribution', distributionProblem(input.distribution, index));
  for (const m of rangeProblems(input.affectedVersions)) add('affectedVersions', m);
  const description = typeof input.description === 'string' ? input.description.trim() : '';
  if (description.length < 20) add('description', 'Describe the problem in at least 20 characters: what is wrong, where (module, function), and what an attacker can do.');
  else {
    try {
      text(description, 'description', { max: REPORT_LIMITS.description, min: 20, multiline: true });
    } catch (e) {
      add('description', messageOf(e, 'description'));
    }
  }
  try {
    email(input.reporterEmail, 'reporterEmail');
  } catch {
    add('reporterEmail', 'Give an e-mail address the team can write to, e.g. you@example.org.');
  }
  for (const [field, max, multiline] of [['proof', REPORT_LIMITS.proof, true], ['reporterName', REPORT_LIMITS.name, false], ['credit', REPORT_LIMITS.credit, false]] as const) {
    try {
      optionalText(input[field], field, { max, multiline });
    } catch (e) {
      add(field, messageOf(e, field));
    }
  }
  try {
    parseEncryptionKey(input.encryptionKey);
  } catch (e) {
    add('encryptionKey', `${messageOf(e, 'encryptionKey')} (paste the whole OpenPGP public key block, or an age recipient “age1…”)`);
  }
  return out;
}
