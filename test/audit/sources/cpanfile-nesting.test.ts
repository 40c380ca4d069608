import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { MAX_CPANFILE_NESTING, parseCpanfile } from '../../../src/audit/sources/cpanfile.js';
import { cli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp.js';

const nested = (depth: number) => `${"on 'test' => sub {\n".repeat(depth)}requires 'DBI';\n${'};\n'.repeat(depth)}`;

test('blocks nested beyond the limit are a parse error at the line of the block, never a stack overflow', () => {
  assert.throws(() => parseCpanfile(nested(20_000), 'cpanfile'), {
    code: 'PARSE_ERROR',
    message: `cpanfile:${MAX_CPANFILE_NESTING + 1}: blocks nested more than ${MAX_CPANFILE_NESTING} deep`,
  });
  // up to the limit they read as usual
  const deps = parseCpanfile(nested(MAX_CPANFILE_NESTING), 'cpanfile');
  assert.deepEqual(deps.map((d) => [d.name, d.phase, d.source.line]), [['DBI', 'test', MAX_CPANFILE_NESTING + 1]]);
  const features = `feature 'pg', 'PostgreSQL' => sub {\n  on 'test' => sub {\n    requires 'DBD::Pg', '3.0';\n  };\n};\n`;
  assert.deepEqual(parseCpanfile(features, 'cpanfile').map((d) => [d.name, d.feature, d.phase]), [['DBD::Pg', 'pg', 'test']]);
});

test('cpansec audit deps on a 20,000-deep cpanfile exits 2 naming the file and line', () => {
  const dir = tempDir('cpanfile');
  writeFileSync(path.join(dir, 'cpanfile'), nested(20_000));
  const r = cli(['audit', 'deps', dir]);
  assert.equal(r.status, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^cpansec: .*cpanfile:33: blocks nested more than 32 deep\n$/);
});
