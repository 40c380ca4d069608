import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { coreVersion } from '../../src/perl/index.js';

test("the version a perl ships agrees with this machine's Module::CoreList for every module in the perls it knows", () => {
  const perls = ['5.008008', '5.010001', '5.016003', '5.026001', '5.036000'];
  const script = `use Module::CoreList; my @p = @ARGV; my %all; $all{$_}=1 for map { keys %{$Module::CoreList::version{$_}} } keys %Module::CoreList::version;
    for my $m (sort keys %all) { for my $p (@p) { my $v = $Module::CoreList::version{$p}{$m}; print join("\\t", $m, $p, defined $v ? $v : '-'), "\\n" } }`;
  const lines = execFileSync('perl', ['-e', script, ...perls], { maxBuffer: 64 * 1024 * 1024 }).toString().trim().split('\n');
  assert.ok(lines.length > 4000);
  // the data comes from a newer Module::CoreList (5.20250702) than this machine's (5.20220520): it
  // corrected these entries (Pod::Functions::Functions is generated at build time, listed since
  // perl 5.38.3 and 5.40.1 only)
  const corrected = new Set(['Pod::Functions::Functions']);
  const wrong = lines.filter((line) => {
    const [m, p, v] = line.split('\t') as [string, string, string];
    if (corrected.has(m)) return false;
    return (coreVersion(m, p) ?? '-') !== v;
  });
  assert.deepEqual(wrong.slice(0, 10), []);
});
