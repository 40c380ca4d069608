import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPerlVersion, coreInfo, coreListVersion, coreVersion, newestPerl } from '../../src/perl/index.js';
import { cli } from '../helpers/cli.js';

test('a perl version is read as people write it and as perl numbers it', () => {
  assert.equal(checkPerlVersion('5.36'), '5.36.0');
  assert.equal(checkPerlVersion('5.8'), '5.8.0');
  assert.equal(checkPerlVersion('5.10'), '5.10.0', 'perl 5.10, not 5.100');
  assert.equal(checkPerlVersion('5.036'), '5.36.0');
  assert.equal(checkPerlVersion('5.008008'), '5.8.8');
  assert.equal(checkPerlVersion('v5.34.1'), '5.34.1');
  assert.equal(checkPerlVersion(' 5.30.0 '), '5.30.0');
});

test('the core-module data covers the newest stable perl, 5.42.0, and every release before it', () => {
  // perl 5.42.0 was released on 2025-07-03 with Module::CoreList 5.20250702
  assert.equal(checkPerlVersion(newestPerl()), '5.42.0');
  assert.ok(coreListVersion() >= '5.20250702', coreListVersion());
  for (const perl of ['5.38.0', '5.38.2', '5.40.0', '5.40.1', '5.42', '5.42.0', '5.041013']) assert.ok(checkPerlVersion(perl), perl);
  // what those perls ship (Module::CoreList 5.20250702)
  assert.equal(coreVersion('Storable', '5.38'), '3.32');
  assert.equal(coreVersion('Storable', '5.42'), '3.37');
  assert.equal(coreVersion('IO::Compress::Base', '5.40'), '2.212');
  assert.equal(coreVersion('IO::Compress::Base', '5.42.0'), '2.213');
  // with no perl named, the newest stable perl's versions
  assert.equal(coreVersion('Storable'), '3.37');
});

test('a perl newer than the core-module data is an error naming the option, the newest perl known and the script', () => {
  assert.throws(() => checkPerlVersion('5.44'), {
    code: 'USAGE',
    message: /^--perl 5\.44: the bundled core-module data ends at perl 5\.42\.0 .*scripts\/gen-corelist\.ts/,
  });
  assert.throws(() => checkPerlVersion('5.42.1'), { code: 'USAGE', message: /ends at perl 5\.42\.0/ });
  assert.throws(() => checkPerlVersion('7'), { code: 'USAGE' });
  // coreInfo takes the same perl: never the newest list in its place
  assert.throws(() => coreInfo('Storable', '5.44'), { code: 'USAGE', message: /^--perl 5\.44:/ });
});

test('a string that is no perl version is an error naming the option', () => {
  for (const bad of ['abc', '', '5..36', '5.36-RC1']) {
    assert.throws(() => checkPerlVersion(bad), { code: 'USAGE', message: /^--perl '.*' is not a perl version/ }, bad);
  }
  assert.throws(() => checkPerlVersion('4.036'), { code: 'USAGE', message: /^--perl 4\.036: the core-module data starts at perl 5\.0\.0/ });
});

test('core status follows the perl given: removed and added modules', () => {
  // Switch was removed from the core in 5.13.1; experimental entered in 5.19.11
  assert.equal(coreInfo('Switch', '5.8')?.core, true);
  assert.equal(coreInfo('Switch', '5.36')?.core, false);
  assert.equal(coreInfo('experimental', '5.10')?.core, false);
  assert.equal(coreInfo('experimental', '5.036')?.core, true);
  assert.equal(coreInfo('Not::A::Core::Module', '5.36'), undefined);
});

test('cpansec audit module with --perl newer than the data, or not a version, exits 2 naming --perl', () => {
  for (const [perl, message] of [
    ['5.44', /^cpansec: --perl 5\.44: the bundled core-module data ends at perl 5\.42\.0 .*scripts\/gen-corelist\.ts\n$/],
    ['abc', /^cpansec: --perl 'abc' is not a perl version/],
  ] as const) {
    const r = cli(['audit', 'module', 'Storable', '1.0', '--perl', perl]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, message);
  }
  // a perl the data knows: Storable is dual-life there, audited like any distribution
  const r = cli(['audit', 'module', 'Storable', '3.26', '--perl', '5.36', '--format', 'json']);
  const storable = (JSON.parse(r.stdout) as { dependencies: { status: string; core: { dualLife: boolean } }[] }).dependencies[0]!;
  assert.equal(storable.status, 'vulnerable', r.stderr);
  assert.equal(storable.core.dualLife, true);
});
