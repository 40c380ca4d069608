/**
 * The snapshot reader against the plain line-by-line one it replaced (reference/snapshot-by-line.ts):
 * the same distributions, modules, requirements and lines, or the same error at the same line, on
 * the real locks and on thousands of mutations of them (lines dropped, doubled, indented, cut,
 * given tabs, carriage returns, other white space and line terminators).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseSnapshot } from '../../../src/audit/sources/snapshot.js';
import { projectPath } from '../../helpers/paths.js';
import { parseSnapshotByLine } from './reference/snapshot-by-line.js';

const locks = [
  projectPath('test', 'fixtures', 'snapshots', 'metacpan-api.cpanfile.snapshot'),
  projectPath('test', 'fixtures', 'snapshots', 'librecat', 'cpanfile.snapshot'),
].map((f) => readFileSync(f, 'utf8'));

function outcome(read: (t: string, f: string) => unknown, text: string): unknown {
  try {
    return { ok: read(text, 'snap') };
  } catch (e) {
    const err = e as Error & { code?: string; line?: number };
    return { error: err.message, code: err.code, line: err.line };
  }
}

function same(text: string, what: string): void {
  assert.deepEqual(outcome(parseSnapshot, text), outcome(parseSnapshotByLine, text), what);
}

/** A small deterministic generator: the same mutations on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

const INSERTS = ['\t', '\r', ' ', '  ', '\u00a0', '\u2028', '\u3000', '#', '# c', 'undef', ':', '\r\n', '\n', '      X 1', '    provides:', '  D-1', '\u00a0# note', '\t# note', '    \u3000#'];

test('the real locks read the same', () => {
  for (const text of locks) same(text, 'real lock');
});

test('mutated real locks read the same, or fail the same at the same line', () => {
  const rnd = random(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  let n = 0;
  for (const lock of locks) {
    const lines = lock.split('\n');
    for (let i = 0; i < 2500; i++) {
      const copy = lines.slice(0, 40 + Math.floor(rnd() * 200));
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
        const at = 1 + Math.floor(rnd() * (copy.length - 1));
        const line = copy[at]!;
        const cut = Math.floor(rnd() * (line.length + 1));
        switch (Math.floor(rnd() * 5)) {
          case 0:
            copy.splice(at, 1);
            break;
          case 1:
            copy.splice(at, 0, line);
            break;
          case 2:
            copy[at] = line.slice(0, cut) + pick(INSERTS) + line.slice(cut);
            break;
          case 3:
            copy[at] = line.slice(0, cut);
            break;
          default:
            copy[at] = line + pick(INSERTS);
        }
      }
      same(copy.join(pick(['\n', '\n', '\r\n'])), `mutation ${i}`);
      n++;
    }
  }
  assert.equal(n, 5000);
});
