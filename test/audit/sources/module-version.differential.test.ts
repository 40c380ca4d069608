import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { compareVersions } from '../../../src/perl/index.js';
import { moduleVersions } from '../../../src/perl/module-version.js';
import { projectPath } from '../../helpers/paths.js';

/** Every .pm of this machine's perl and of its Debian-packaged modules: real code, real $VERSION lines. */
function realModules(): string[] {
  const roots = ['/usr/share/perl/5.36', '/usr/share/perl5', '/usr/lib/x86_64-linux-gnu/perl/5.36', '/usr/lib/x86_64-linux-gnu/perl5', '/usr/lib/x86_64-linux-gnu/perl-base'];
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (name.endsWith('.pm')) out.add(p);
    }
  };
  for (const r of roots) {
    try {
      walk(r);
    } catch {
      /* a root this machine lacks */
    }
  }
  return [...out].sort();
}

test('module versions read statically agree with Module::Metadata on every .pm of the installed perl', () => {
  const files = realModules();
  assert.ok(files.length > 1000, `only ${files.length} .pm files found`);
  const out = execFileSync('perl', [projectPath('test', 'audit', 'oracle', 'module-metadata.pl')], {
    input: files.join('\n') + '\n',
    maxBuffer: 64 * 1024 * 1024,
  }).toString();
  const theirs = new Map<string, Map<string, string>>();
  for (const line of out.split('\n')) {
    const [file = '', pkg = '', version = ''] = line.split('\t');
    if (!pkg) continue;
    const m = theirs.get(file) ?? new Map<string, string>();
    m.set(pkg, version);
    theirs.set(file, m);
  }
  let agreed = 0;
  const unparsable: string[] = [];
  const wrong: string[] = [];
  const explained: string[] = [];
  for (const file of files) {
    const ours = moduleVersions(readFileSync(file, 'latin1'));
    for (const [pkg, version] of theirs.get(file) ?? []) {
      if (version === 'undef') continue;
      const mine = ours.get(pkg);
      if (mine && 'unparsable' in mine) unparsable.push(`${file} ${pkg}: ${mine.unparsable}`);
      else if (!mine) wrong.push(`${file} ${pkg}: Module::Metadata ${version}, ours none`);
      else if (compareVersions(mine.version, version) !== 0) {
        // `$Tie::File::Cache::VERSION = $Tie::File::VERSION;`: Module::Metadata evaluates the line in
        // a sandbox without the other package's variable and gets 0; perl at run time, and we, get
        // that package's version
        const fromOtherPackage = version === '0' && [...ours].some(([p, v]) => p !== pkg && 'version' in v && v.version === mine.version);
        if (fromOtherPackage) explained.push(`${file} ${pkg}`);
        else wrong.push(`${file} ${pkg}: Module::Metadata ${version}, ours ${mine.version}`);
      }
      else agreed++;
    }
  }
  // never a wrong version; an expression we cannot evaluate statically is said to be unparsable
  assert.deepEqual(wrong.slice(0, 20), []);
  assert.ok(agreed > 1000, `${agreed} agreed`);
  assert.ok(explained.length <= 5, explained.join('\n'));
  assert.ok(unparsable.length <= agreed / 100, `${unparsable.length} unparsable:\n${unparsable.slice(0, 60).join('\n')}`);
});
