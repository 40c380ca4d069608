/**
 * The CNA tool's YAML record to CVE JSON 5 and its announcement, against the CNA tool's own test
 * vectors (test/fixtures/upstream/data/cve5/cna-tool-fixtures: the YAML and the record published from it) and the
 * real perl (Text::Wrap, JSON::PP) as oracles.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import AjvModule from 'ajv';
import formatsModule from 'ajv-formats';
import { parse } from 'yaml';
import {
  announcement,
  cveRecordOfYaml,
  lintCna,
  perlJson,
  readCnaYaml,
  textWrap,
  validateCveRecord,
  CNA_RECORD_SCHEMA,
} from '../../src/publish/index.js';
import { projectPath, upstreamPath } from '../helpers/paths.js';

const FIXTURES = ['CVE-2025-40906', 'CVE-2025-40916', 'CVE-2025-40933'];
/** The placeholder org id of the CNA tool's fixtures (its default when none is configured). */
const PLACEHOLDER_ORG = '00000000-0000-4000-9000-000000000000';
const fixture = (name: string) => readFileSync(upstreamPath('data', 'cve5', 'cna-tool-fixtures', name), 'utf8');
const build = (id: string) => {
  const doc = readCnaYaml(fixture(`${id}.yaml`), `${id}.yaml`);
  assert.deepEqual(doc.problems, []);
  return cveRecordOfYaml(doc.record!, `${id}.yaml`, { orgId: PLACEHOLDER_ORG, generator: 'cpansec' });
};

function oracle(script: string, input: unknown): unknown {
  const r = spawnSync('perl', [projectPath('test', 'publish', 'oracle', script)], { input: JSON.stringify(input), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * A published fixture as the CNA tool builds it today, plus CVE Record Format 5.2.0. Each step is a
 * documented difference, not a tolerance: the fixtures were published with Vulnogram.
 */
function asToolOutput(source: Json): Json {
  const r = structuredClone(source);
  r.dataVersion = '5.2.0'; // 5.2.0: packageURL in affected[]
  for (const a of r.containers.cna.affected) a.packageURL = `pkg:cpan/${a.packageName}`;
  delete r.cveMetadata.requesterUserId; // CVE Services own these two; the tool writes an org id and 1
  delete r.cveMetadata.serial;
  const cna = r.containers.cna;
  for (const list of [cna.descriptions, cna.solutions ?? [], cna.workarounds ?? []]) for (const d of list) delete d.supportingMedia; // Vulnogram's HTML copy
  cna.x_generator = { engine: 'cpansec' }; // the generator's own name
  cna.problemTypes = cna.problemTypes.flatMap((p: Json) => p.descriptions.map((d: Json) => ({ descriptions: [d] }))); // the tool writes one problem type per CWE
  return r;
}

test('CVE-2025-40916: the YAML builds the published record, byte for byte in the CNA tool\'s layout', () => {
  const ours = build('CVE-2025-40916');
  const expected = asToolOutput(JSON.parse(fixture('CVE-2025-40916.source.json')) as Json);
  assert.deepEqual(ours, expected);
  assert.equal(perlJson(ours), perlJson(expected));
  assert.deepEqual(validateCveRecord(ours), []);
});

test('CVE-2025-40906 and CVE-2025-40933: equal but for what was edited in the published record after the YAML', () => {
  for (const id of ['CVE-2025-40906', 'CVE-2025-40933']) {
    const ours = build(id) as Json;
    const expected = asToolOutput(JSON.parse(fixture(`${id}.source.json`)) as Json);
    const yaml = (parse(fixture(`${id}.yaml`)) as Json).cpansec;
    if (id === 'CVE-2025-40906') {
      // published: no full stop in the title, two more CWEs, the solution as two entries, a trailing space
      assert.equal(ours.containers.cna.title, `${expected.containers.cna.title}.`);
      assert.deepEqual(ours.containers.cna.problemTypes.map((p: Json) => p.descriptions[0].description), yaml.cwes);
      assert.deepEqual(expected.containers.cna.problemTypes.slice(0, 2), ours.containers.cna.problemTypes);
      assert.equal(ours.containers.cna.solutions.length, 1);
      assert.equal(ours.containers.cna.solutions[0].value, expected.containers.cna.solutions.map((s: Json) => s.value).join('\n\n'));
      assert.equal(ours.containers.cna.descriptions[0].value, expected.containers.cna.descriptions[0].value.replace(' \n', '\n'));
      for (const k of ['title', 'problemTypes', 'solutions', 'descriptions']) {
        delete ours.containers.cna[k];
        delete expected.containers.cna[k];
      }
    } else {
      // published: an impact (CAPEC-115) the YAML does not have
      assert.equal(yaml.impacts, undefined);
      delete expected.containers.cna.impacts;
    }
    assert.deepEqual(ours, expected, id);
    assert.deepEqual(validateCveRecord(build(id)), []);
  }
});

test('the CNA tool\'s own round-trip view (t/01-yaml2cve-roundtrip.t) matches for its two cases', () => {
  const view = (doc: Json) => {
    const cna = doc.containers.cna;
    const a = cna.affected[0];
    const ws = (t: string) => (t ?? '').replace(/\s+/g, ' ').trim();
    return {
      cve: doc.cveMetadata.cveId,
      distribution: a.packageName,
      module: a.product,
      author: a.vendor,
      repo: a.repo,
      affected: a.versions,
      files: [...(a.programFiles ?? [])].sort(),
      title: ws(cna.title),
      description: ws(cna.descriptions[0].value),
      cwes: cna.problemTypes.flatMap((p: Json) => p.descriptions.map((d: Json) => ws(d.description))).sort(),
      solution: (cna.solutions ?? []).map((s: Json) => ws(s.value)),
      references: [...cna.references].sort((x: Json, y: Json) => (x.url < y.url ? -1 : 1)).map((r: Json) => ({ link: r.url, ...(r.tags ? { tags: [...r.tags].sort() } : {}) })),
    };
  };
  for (const id of ['CVE-2025-40916', 'CVE-2025-40933']) assert.deepEqual(view(build(id)), view(JSON.parse(fixture(`${id}.source.json`)) as Json), id);
});

test('JSON layout: the real perl\'s JSON::PP pretty canonical is the oracle', () => {
  const docs = [...FIXTURES.map((id) => JSON.parse(fixture(`${id}.source.json`)) as unknown), ...FIXTURES.map(build)];
  docs.push({ s: 'tab\there "quoted" back\\slash \u0001 \u007f é ü 😀 </script>', n: [0, 1, 25], e: [], o: {}, nested: { b: [{ z: 1, a: null }] } });
  const texts = oracle('perl-json.pl', docs) as string[];
  docs.forEach((d, i) => assert.equal(perlJson(d), texts[i], `document ${i}`));
});

test('announcement: the CNA tool\'s layout, wrapped by Text::Wrap at 72 columns', () => {
  for (const id of FIXTURES) {
    const expected = readFileSync(projectPath('test', 'fixtures', 'publish', 'announce', `${id}.txt`), 'utf8');
    assert.equal(announcement(build(id)), expected, id);
  }
  const text = announcement(build('CVE-2025-40906'));
  assert.match(text, /^Subject: CVE-2025-40906: BSON::XS versions 0\.8\.4 and earlier/);
  assert.match(text, /^ {6}Versions: {2}through 0\.8\.4$/m);
  assert.match(text, /^References\n----------\n/m);
  assert.ok(text.split('\n').every((l) => [...l].length <= 80 || l.startsWith('http') || l.startsWith('Subject:')));
  // paragraph breaks of the description survive (the tool's t/36)
  const yaml = fixture('CVE-2025-40933.yaml').replace(/^ {2}description: \|\n[\s\S]*?\n\n(?= {2}cwes:)/m, '  description: |-\n    First paragraph is long enough to be a description of the problem.\n\n    Second paragraph.\n\n');
  const doc = readCnaYaml(yaml, 'x.yaml');
  assert.deepEqual(doc.problems, []);
  assert.match(announcement(cveRecordOfYaml(doc.record!, 'x.yaml')), /of the problem\.\n\nSecond paragraph\./);
  // the tool prints no Impacts section (it reads a field impacts do not have); neither do we
  assert.doesNotMatch(announcement(JSON.parse(fixture('CVE-2025-40933.source.json')) as Json), /^Impacts$/m);
});

test('Text::Wrap: the port gives what the real perl gives', () => {
  const words = ['a', 'Perl', 'CVE-2025-40906', `long-${'x'.repeat(90)}`, 'the', '\t', 'x.', '  ', 'é', 'e\u0301', '\n', '\n\n', '(1)', '  indented', 'https://metacpan.org/release/A/B-1.0/diff/A/B-1.1/lib/B.pm'];
  let seed = 42;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const cases: [string, string, string, number][] = [['', '', '', 72], ['- ', '  ', '', 72], ['', '', '   ', 72], ['', '', 'end\n', 72]];
  for (let i = 0; i < 1500; i++) {
    let t = '';
    for (let j = Math.floor(rnd() * 50); j > 0; j--) t += words[Math.floor(rnd() * words.length)]! + (rnd() < 0.8 ? ' ' : '');
    const [first, rest] = [['', ''], ['- ', '  '], ['\t', '  '], ['>>> ', '']][Math.floor(rnd() * 4)]!;
    cases.push([first!, rest!, t, [72, 40, 20, 76][Math.floor(rnd() * 4)]!]);
  }
  const expected = oracle('wrap.pl', cases) as string[];
  cases.forEach((c, i) => assert.equal(textWrap(c[0], c[1], c[2], c[3]), expected[i], JSON.stringify(c)));
});

test('a record that lacks a field or has a wrong one is refused with the field and its line', () => {
  const good = fixture('CVE-2025-40916.yaml');
  const missing = readCnaYaml(good.replace(/^ {2}title: \|\n( {4}.*\n)+/m, ''), 'm.yaml');
  assert.deepEqual(missing.problems.map((p) => `${p.path}: ${p.message}`), ['$.cpansec: missing title']);
  const unquoted = readCnaYaml(good.replace('- "1.05"', '- 1.10'), 'u.yaml');
  assert.equal(unquoted.problems.length, 1);
  assert.match(unquoted.problems[0]!.message, /must be a string, not the YAML number 1\.1 \(quote it/);
  assert.equal(unquoted.problems[0]!.line, 11);
  const unknown = readCnaYaml(good.replace('  author: GRYPHON', '  author: GRYPHON\n  severity: high'), 'k.yaml');
  assert.deepEqual(unknown.problems.map((p) => [p.message, p.line]), [["unknown key 'severity'", 8]]);
  const tags = readCnaYaml(good.replace('  references:\n', '  references:\n    - link: https://example.org/x\n      tags: "[patch, advisory]"\n'), 't.yaml');
  assert.deepEqual(tags.problems, []);
  assert.deepEqual((cveRecordOfYaml(tags.record!, 't.yaml').containers as Json).cna.references[0].tags, ['patch', 'vendor-advisory']);
  const article = readCnaYaml(good.replace('  references:\n', '  references:\n    - link: https://example.org/x\n      tags: [article]\n'), 'a.yaml');
  assert.throws(() => cveRecordOfYaml(article.record!, 'a.yaml'), /a\.yaml: cannot build the CVE record: reference tag 'article' has no CVE equivalent/);
  assert.throws(() => readCnaYaml('cpansec: [unclosed', 'bad.yaml'), /bad\.yaml:1: YAML error/);
});

test('our statement of the CNA YAML schema agrees with the CNA tool\'s schema file', () => {
  const Ajv = AjvModule.default;
  const compile = (schema: unknown) => {
    const ajv = new Ajv({ allErrors: true, strict: false });
    formatsModule.default(ajv);
    return ajv.compile(schema as object);
  };
  const upstream = compile(parse(readFileSync(upstreamPath('specs', 'cpansec-cna', 'cpansec-cna-schema-01.yaml'), 'utf8')));
  const ours = compile(CNA_RECORD_SCHEMA);
  const base = parse(fixture('CVE-2025-40933.yaml')) as Json;
  const variants: Json[] = [base];
  const mutate = (f: (c: Json) => void) => {
    const v = structuredClone(base);
    f(v.cpansec);
    variants.push(v);
  };
  for (const key of Object.keys(base.cpansec)) mutate((c) => delete c[key]);
  mutate((c) => (c.cve = 'CVE-25-1'));
  mutate((c) => (c.distribution = 'Apache::AuthAny'));
  mutate((c) => (c.module = 'Apache-AuthAny'));
  mutate((c) => (c.author = 'kgoldov'));
  mutate((c) => (c.repo = 'not a uri'));
  mutate((c) => (c.affected = []));
  mutate((c) => (c.affected = ['1 <= 2 <= 3']));
  mutate((c) => (c.affected = ['>= 1.0']));
  mutate((c) => (c.cwes = ['CWE-79']));
  mutate((c) => (c.cwes = ['CWE-79: XSS', 'CWE-79: XSS']));
  mutate((c) => (c.solution = ['a', 'b']));
  mutate((c) => (c.solution = 3));
  mutate((c) => (c.credits = [{ type: 'finder' }]));
  mutate((c) => (c.credits = [{ type: 'finder', value: 'X', extra: 1 }]));
  mutate((c) => (c.impacts = ['CAPEC-115 Authentication Bypass', 'CAPEC-1']));
  mutate((c) => (c.timeline = [{ time: '2025-01-01', value: 'x' }, { time: 'yesterday', value: 'y' }]));
  mutate((c) => (c.references = [{ link: 'https://x.org', tags: ['misc'] }, { link: 'https://y.org', tags: ['nope'] }]));
  mutate((c) => (c.references = [{ link: 'https://x.org', name: '' }]));
  mutate((c) => (c.references = []));
  mutate((c) => (c.extra = 'x'));
  for (const v of variants) assert.equal(ours(v), upstream(v), JSON.stringify(v.cpansec).slice(0, 200));
  assert.ok(variants.filter((v) => !upstream(v)).length > 20);
});

test('lint: the CNA tool\'s rules, with their ids and levels', () => {
  const rules = (text: string) => lintCna(readCnaYaml(text, 'l.yaml')).map((p) => `${p.level}:${p.rule}`);
  const base = fixture('CVE-2025-40933.yaml');
  assert.deepEqual(rules(base).sort(), ['warning:announce_wording_mismatch', 'warning:missing_solution_or_mitigation', 'warning:reference_quality', 'warning:title_style_standard']);
  const repeated = base.replace(/ {2}title: \|\n {4}Apache::AuthAny::Cookie v0\.201 or earlier for Perl generates session ids\n {4}insecurely\n/, '  title: Apache::AuthAny::Cookie v0.201 or earlier for Perl generates session ids\n');
  assert.ok(rules(repeated.replace('ids\n    insecurely.\n', 'ids\n')).includes('error:title_repeated_in_description'));
  assert.ok(rules(base.replace('KGOLDOV', 'TODO')).includes('error:placeholder_content'));
  assert.ok(rules(base.replace('"0.19 <= 0.201"', '"0.19 <= 1.2.3.4_5_6"')).includes('error:unreadable_version'));
  const templated = base.replace(/ {2}title: \|\n.*\n.*\n/, '  title: Apache::AuthAny {{VERSION_RANGE}} for Perl generates session ids {{NOPE}}\n');
  assert.ok(rules(templated).includes('warning:template_token_unresolved'));
  const doc = readCnaYaml(templated, 't.yaml');
  assert.equal((cveRecordOfYaml(doc.record!, 't.yaml').containers as Json).cna.title, 'Apache::AuthAny versions from 0.19 through 0.201 for Perl generates session ids {{NOPE}}');
});
