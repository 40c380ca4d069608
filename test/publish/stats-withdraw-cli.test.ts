/** `cpansec stats` (text and the JSON of /stats.json) and `cpansec advisory withdraw` from the command line. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { validateCveRecord } from '../../src/publish/index.js';
import { cli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const tmp = tempDir('stats-cli');

test('cpansec stats: the security metrics in the terminal and as JSON', () => {
  const text = cli(['stats']);
  assert.equal(text.status, 0, text.stderr);
  assert.match(text.stdout, /^1001 advisories for 418 distributions/);
  assert.match(text.stdout, /Advisories per year by severity\nyear\s+critical\s+high\s+medium\s+low\s+not rated\s+total/);
  assert.match(text.stdout, /No fixed release: \d+ of 1001 advisories \(\d+\.\d%\)/);
  assert.match(text.stdout, /Weakness classes \(CWE\)\nno advisory names a CWE/);
  assert.match(text.stdout, /Distributions with the most open advisories\ndistribution\s+open/);
  assert.match(text.stdout, /Time from report to fixed release \(\d+ of \d+ .*median \d+ days/);
  const json = cli(['stats', '--format', 'json', '--top', '5']);
  const m = JSON.parse(json.stdout);
  assert.equal(m.mostOpen.length, 5);
  assert.equal(m.advisories, 1001);
  assert.equal(cli(['stats', '--format', 'xml']).status, 2);
  assert.match(cli(['stats', '--top', '0']).stderr, /^cpansec: --top 0: a count from 1 to 1000/);
});

test('cpansec advisory withdraw: the store marks it withdrawn and the CVE REJECT record is written', () => {
  const dataDir = path.join(tmp, 'store');
  const out = path.join(tmp, 'reject.json');
  const r = cli(['advisory', 'withdraw', 'CPANSA-Authen-TOTP-2026-46473', '--reason', 'Duplicate of another advisory.', '--data-dir', dataDir, '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /withdrew CPANSA-Authen-TOTP-2026-46473 \(1 entry, Authen-TOTP\): revision 2/);
  const reject = JSON.parse(readFileSync(out, 'utf8'));
  assert.equal(reject.cveMetadata.cveId, 'CVE-2026-46473');
  assert.equal(reject.cveMetadata.state, 'REJECTED');
  assert.deepEqual(reject.containers.cna.rejectedReasons, [{ lang: 'en', value: 'Duplicate of another advisory.' }]);
  assert.deepEqual(validateCveRecord(reject), []);
  const again = cli(['advisory', 'withdraw', 'CPANSA-Authen-TOTP-2026-46473', '--reason', 'x', '--data-dir', dataDir]);
  assert.equal(again.status, 2);
  assert.match(again.stderr, /^cpansec: advisory 'CPANSA-Authen-TOTP-2026-46473' was already withdrawn on /);
  const empty = cli(['advisory', 'withdraw', 'CPANSA-DBI-2014-01', '--reason', '  ', '--data-dir', dataDir]);
  assert.equal(empty.status, 2);
  assert.match(empty.stderr, /--reason must say why/);
  assert.equal(cli(['advisory', 'withdraw', 'CPANSA-DBI-2014-01', '--data-dir', dataDir]).status, 2);
});
