import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fromCpansaRecord } from '../../src/advisory/index.js';
import { toText, type AuditResult } from '../../src/audit/index.js';
import { BUNDLED_DATABASE } from '../../src/index/index.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const ESC = '\u001b';
const CLEAR = `${ESC}[2J`;
const LINK = `${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\`;
const hostile = {
  id: `CPANSA-DBI-2020-01${CLEAR}`,
  affected_versions: [`<1.643${CLEAR}`],
  fixed_versions: ['>=1.643'],
  cves: [`CVE-2020-14393\u009b2J`],
  description: `A buffer overflow ${LINK} was found.\r${ESC}[31mfake all clear\u0007 \u202eevil`,
  references: [`https://metacpan.org/${LINK}`],
  reported: '2020-01-01',
  severity: 'high',
};

/** Text with SGR colour sequences taken out: what is left must hold no control character but newlines. */
const withoutColour = (s: string) => s.replace(/\u001b\[[0-9;]*m/g, '');
const controls = (s: string) => [...s].filter((ch) => /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(ch));

function result(): AuditResult {
  const advisory = fromCpansaRecord(hostile, 'DBI');
  return {
    findings: [
      {
        name: `DBI${ESC}[8m`,
        distribution: `DBI${ESC}[8m`,
        version: `1.0${ESC}[1A`,
        sources: [{ name: 'DBI', kind: 'module', version: '1.0', source: { file: `cpanfile${ESC}]0;title${ESC}\\`, line: 3 } }],
        status: 'vulnerable',
        advisories: [
          { advisory, expiredIgnore: { reason: `r${CLEAR}`, expires: '2020-01-01', source: `.cpansec-ignore.yml${CLEAR}:2` } },
          { advisory: { ...advisory, id: 'X-2' }, ignored: { reason: `accepted${CLEAR}`, source: 'x' } },
        ],
        remediation: `1.643${CLEAR}`,
        unfixed: [`CPANSA-X${CLEAR}`],
        notes: [`note ${CLEAR}`],
      },
    ],
    database: { source: 'test', meta: { date: `today${CLEAR}` }, distributions: 1, advisories: 1 },
    inputs: ['cpanfile'],
    generatedAt: '2026-01-01T00:00:00Z',
  };
}

test('the text report prints database and input strings with their control characters as visible escapes', () => {
  for (const color of [false, true]) {
    const text = toText(result(), { color, verbose: true });
    assert.deepEqual(controls(withoutColour(text)), [], `color: ${color}`);
    if (!color) assert.ok(!text.includes(ESC));
  }
  const text = toText(result(), { color: false, verbose: true });
  assert.match(text, /CPANSA-DBI-2020-01\\x1B\[2J/);
  assert.match(text, /CVE-2020-14393\\x9B2J/);
  assert.match(text, /https:\/\/metacpan\.org\/\\x1B\]8;;https:\/\/evil\.example\/\\x1B\\click/);
  assert.match(text, /accepted\\x1B\[2J/);
  assert.match(text, /fix: upgrade to DBI\\x1B\[8m 1\.643\\x1B\[2J or later/);
});

test('cpansec audit with a --db whose advisory text holds ESC [2J and OSC 8 links prints them inert', () => {
  const dir = tempDir('ctl');
  const file = path.join(dir, 'db.json');
  const doc = JSON.parse(readFileSync(BUNDLED_DATABASE, 'utf8')) as { dists: Record<string, { advisories: unknown[] }> };
  doc.dists.DBI!.advisories = [{ ...hostile, affected_versions: ['<1.643'] }];
  writeFileSync(file, JSON.stringify(doc));
  for (const env of [{}, { FORCE_COLOR: '1', NO_COLOR: '' }] as Record<string, string>[]) {
    const r = cli(['audit', 'dist', 'DBI', '1.0', '--db', file], { env });
    assert.equal(r.status, 1, r.stderr);
    assert.deepEqual(controls(withoutColour(r.stdout)), []);
    assert.match(r.stdout, /\\x1B\[2J/);
  }
});
