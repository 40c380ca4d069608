import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { projectPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/temp.js';

const tmp = tempDir('tmpdir');

test('a test file leaves no temporary directory behind, even when its tests fail', () => {
  const report = path.join(tmp, 'report.json');
  const own = mkdtempSync(path.join(tmp, 'TMPDIR-'));
  // a test run of its own, not a child reporting to this one's runner
  const { NODE_TEST_CONTEXT: _child, ...env } = process.env;
  const r = spawnSync(process.execPath, ['--import', 'tsx', projectPath('test', 'server', 'temp-files.fixture.ts')], {
    cwd: projectPath(),
    env: { ...env, TMPDIR: own, CPANSEC_FIXTURE_REPORT: report },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 1, `the fixture fails on purpose: ${r.stdout}${r.stderr}`);
  assert.match(r.stdout, /failing on purpose/);
  const [dir, dataDir, revision] = JSON.parse(readFileSync(report, 'utf8')) as [string, string, number];
  assert.equal(revision, 0);
  assert.ok(dir.startsWith(own) && dataDir.startsWith(own), `made under its own TMPDIR: ${dir}, ${dataDir}`);
  assert.equal(existsSync(dir) || existsSync(dataDir), false);
  // tsx keeps its compile cache in the temporary directory: that is tsx's, and meant to stay
  assert.deepEqual(readdirSync(own).filter((n) => !n.startsWith('tsx-')), []);
});
