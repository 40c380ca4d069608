import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'oracle', 'version.pl');

/**
 * Ask the real perl (version.pm, CPAN::Meta::Requirements, CPAN::Audit) many questions in one process.
 * Each question is a tab-separated line; the answers come back one a line, in order.
 * Throws when perl is missing: the differential tests must fail, never skip, without their oracle.
 */
export function askPerl(questions: string[][]): string[] {
  const input = questions.map((q) => q.join('\t')).join('\n') + '\n';
  const out = execFileSync('perl', [script], { input, maxBuffer: 256 * 1024 * 1024 }).toString();
  const lines = out.split('\n');
  lines.pop();
  if (lines.length !== questions.length) {
    throw new Error(`perl oracle answered ${lines.length} of ${questions.length} questions`);
  }
  return lines;
}

/**
 * Run another oracle script of test/perl/oracle/ over input lines (one question a line) and return
 * its answer lines, one per input. Throws when perl or the script's module is missing.
 */
export function askOracle(name: string, lines: string[]): string[] {
  const file = path.join(path.dirname(script), name);
  const out = execFileSync('perl', [file], { input: lines.map((l) => `${l}\n`).join(''), maxBuffer: 256 * 1024 * 1024 }).toString();
  const answers = out.split('\n');
  answers.pop();
  if (answers.length !== lines.length) throw new Error(`${name} answered ${answers.length} of ${lines.length} questions`);
  return answers;
}

export { seeded } from '../helpers/seeded.js';
