import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIgnoreFile } from '../../src/audit/ignore.js';

test('an ignore file with aliases, deep nesting or lists for values is a parse error at its line', () => {
  const cases: [string, RegExp][] = [
    ['base: &r\n  reason: x\nignore:\n  - id: CPANSA-Foo-2020-01\n    reason: *r\n', /^\.cpansec-ignore\.yml:5: YAML alias \*r is not supported/],
    [`ignore: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`, /^\.cpansec-ignore\.yml:1: YAML error: nested more than 64 levels deep/],
    ['ignore:\n  - id: [CPANSA-Foo-2020-01, CVE-2020-1]\n    reason: x\n', /^\.cpansec-ignore\.yml:2: ignore entry: 'id' must be a single value/],
    ['ignore:\n  - id: ~\n    reason: x\n', /^\.cpansec-ignore\.yml:2: ignore entry without 'id'/],
  ];
  for (const [text, message] of cases) {
    assert.throws(() => parseIgnoreFile(text, '.cpansec-ignore.yml'), { code: 'PARSE_ERROR', message }, text);
  }
  assert.deepEqual(parseIgnoreFile('ignore:\n  - id: CVE-2020-1\n    reason: not used\n    expires: 2027-01-31\n', 'f').map((r) => [r.id, r.expires, r.line]), [
    ['CVE-2020-1', '2027-01-31', 2],
  ]);
});
