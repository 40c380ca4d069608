/**
 * The case page's CVSS calculator against the server's reader and scorer (src/disclosure/cvss.ts):
 * its arithmetic module and the very script the server serves (run without a page) give the
 * vector, the scores, the rating and the nomenclature the server gives, on every CVSS 3.1 base
 * vector, thousands of random vectors with temporal/threat, environmental and supplemental metrics
 * (every value the calculator offers), and FIRST's examples; they refuse what the server refuses.
 * The calculator offers the metrics and values of FIRST's own CVSS 4.0 calculator. The served
 * script is today's bundle, under a policy that admits no inline script and no eval; the triage
 * tab shows every metric with its description; and the server scores and keeps CVSS-BTE vectors
 * sent by the calculator's form, the rating form and the API, and refuses invalid ones.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import vm from 'node:vm';
import { before, describe, test } from 'node:test';
import { accountActor, ANONYMOUS, fileReport, parseCvss, transitionCase, viewCase, type CvssResult } from '../../src/disclosure/index.js';
import { calculate, readVector, withVector, type Calculation, type CalculatorVersion } from '../../src/server/workspace/browser/cvss-calculator.js';
import { allMetrics, baseMetrics, metricGroups } from '../../src/server/workspace/cvss-metrics.js';
import { CALCULATOR_BUNDLE, bundleCalculator } from '../../scripts/build-calculator.js';
import { reportInput } from '../disclosure/helpers.js';
import { upstreamPath } from '../helpers/paths.js';
import { BACKENDS } from '../store/backends.js';
import { addUser, Client, workspaceServer, type WorkspaceServer } from './harness.js';
import { seeded as generator } from '../helpers/seeded.js';

/** Random choices among what the calculator offers: every base metric, each other one with probability `p` (X included). */
function randomChoice(version: CalculatorVersion, next: () => number, p: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of allMetrics(version)) {
    if (!m.required && next() >= p) continue;
    out[m.short] = m.values[Math.floor(next() * m.values.length)]!.short;
  }
  return out;
}

/** Every combination of the base metrics' values. */
function* allBase(version: CalculatorVersion): Generator<Record<string, string>> {
  const metrics = baseMetrics(version);
  const at = metrics.map(() => 0);
  for (;;) {
    yield Object.fromEntries(metrics.map((m, i) => [m.short, m.values[at[i]!]!.short]));
    let i = 0;
    while (i < metrics.length && ++at[i]! === metrics[i]!.values.length) at[i++] = 0;
    if (i === metrics.length) return;
  }
}

const pick = (c: Calculation | CvssResult) => ({ vector: c.vector, baseScore: c.baseScore, score: c.score, severity: c.severity, nomenclature: c.nomenclature });

/** Values made in the script's own realm (node:vm), as plain values of this one. */
const plain = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

type Calculate = (version: CalculatorVersion, chosen: Record<string, string>) => Calculation;

/** The calculator and the server agree on the chosen values: same vector, scores, rating and nomenclature. */
function agree(calc: Calculate, read: typeof readVector, version: CalculatorVersion, chosen: Record<string, string>): void {
  const c = plain(calc(version, chosen));
  assert.ok(c.complete, JSON.stringify(chosen));
  const server = parseCvss(c.vector);
  assert.deepEqual(pick(c), pick(server), c.vector);
  // what the calculator reads back from the vector is what was chosen (X is "not given")
  const given = Object.fromEntries(Object.entries(chosen).filter(([, v]) => v !== 'X'));
  assert.deepEqual(plain(read(version, server.vector)), given, server.vector);
}

// FIRST's examples (test/disclosure/cvss.test.ts has them with their scores), 4.0 with threat, environmental and supplemental metrics
const FIRST_EXAMPLES = [
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:O/RC:C',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:O/RC:C/CR:H/MAV:A',
  'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U',
  'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N/CR:H/IR:L/AR:L/MAV:N/MAC:H/MVC:H/MVI:L/MVA:L',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:L/IR:H/AR:L/MAV:L/MAC:H/MAT:N/MPR:N/MUI:N/MVC:N/MVI:H/MVA:L/MSC:N/MSI:S/MSA:L',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/S:P/AU:Y/V:C/RE:L',
  'CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N/MSI:S/S:P',
];

// what the server refuses, the calculator does not read as a vector either
const REFUSED = [
  'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H',
  'CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Z',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/FOO:N',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/',
  'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:A',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:F',
  'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/MSC:S',
  'CVSS:4.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  `CVSS:3.1/${'AV:N/'.repeat(100)}`,
];

function differential(calc: Calculate, read: typeof readVector, scale: number): void {
  for (const vector of FIRST_EXAMPLES) {
    const version = vector.slice(5, 8) as CalculatorVersion;
    agree(calc, read, version, read(version, vector)!);
  }
  for (const vector of REFUSED) {
    assert.throws(() => parseCvss(vector), { code: 'PARSE_ERROR' }, vector);
    for (const version of ['3.1', '4.0'] as const) assert.equal(read(version, vector), undefined, vector);
  }
  const next = generator(20260302);
  for (const version of ['3.1', '4.0'] as const) {
    for (let i = 0; i < scale; i++) agree(calc, read, version, randomChoice(version, next, i % 4 === 0 ? 0 : i % 4 === 1 ? 0.2 : i % 4 === 2 ? 0.6 : 1));
  }
}

/** The served script, run as a browser would run it but with no page: its exports are the global `cpansecCvss`. */
function runScript(text: string): { calculate: Calculate; readVector: typeof readVector; withVector: typeof withVector } {
  const context = vm.createContext({});
  vm.runInContext(text, context, { filename: 'cvss-calculator.js' });
  return (context as { cpansecCvss: ReturnType<typeof runScript> }).cpansecCvss;
}

test('the calculator scores every CVSS 3.1 base vector as the server does', () => {
  let n = 0;
  for (const chosen of allBase('3.1')) {
    agree(calculate, readVector, '3.1', chosen);
    n++;
  }
  assert.equal(n, 4 * 2 * 3 * 2 * 2 * 3 * 3 * 3);
});

test('the calculator agrees with the server on FIRST’s examples, 2 × 3,000 random vectors with every group of metrics, and what is refused', () => {
  differential(calculate, readVector, 3000);
});

test('an incomplete choice is not scored and names the base metrics still to choose; unknown values are ignored', () => {
  const c = calculate('4.0', { AV: 'N', AC: 'L', E: 'A', VC: 'Q' });
  assert.deepEqual([c.complete, c.score, c.severity, c.vector], [false, null, null, 'CVSS:4.0/AV:N/AC:L/E:A']);
  assert.deepEqual(c.missing, ['AT', 'PR', 'UI', 'VC', 'VI', 'VA', 'SC', 'SI', 'SA']);
});

test('the vector goes into the rating field in place of the same version’s line, the other kept', () => {
  const v31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N';
  const v40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
  assert.equal(withVector('', '4.0', v40), v40);
  assert.equal(withVector(`${v31}\n`, '4.0', v40), `${v31}\n${v40}`);
  assert.equal(withVector(`CVSS:4.0/AV:L\r\n${v31}`, '4.0', v40), `${v40}\n${v31}`);
});

test('the calculator offers the metrics and values of FIRST’s CVSS 4.0 calculator, in groups, with descriptions', () => {
  const first = JSON.parse(readFileSync(upstreamPath('specs', 'cvss', 'cvss-v4-calculator-metrics.json'), 'utf8')) as Record<string, unknown>;
  const theirs = new Map<string, string[]>();
  const walk = (o: Record<string, unknown>) => {
    for (const v of Object.values(o)) {
      if (!v || typeof v !== 'object') continue;
      const m = v as { short?: string; options?: Record<string, { value?: string }> };
      if (m.short && m.options) theirs.set(m.short, Object.values(m.options).flatMap((x) => (x.value ? [x.value] : [])).sort());
      else walk(v as Record<string, unknown>);
    }
  };
  walk(first);
  const ours = new Map(allMetrics('4.0').map((m) => [m.short, m.values.map((v) => v.short).sort()]));
  assert.deepEqual(ours, theirs);
  assert.deepEqual(metricGroups('4.0').map((g) => g.id), ['base', 'threat', 'environmental', 'supplemental']);
  assert.deepEqual(metricGroups('3.1').map((g) => g.id), ['base', 'temporal', 'environmental']);
  for (const version of ['3.1', '4.0'] as const) {
    for (const m of allMetrics(version)) {
      assert.ok(m.description.length > 20, `${version} ${m.short} has a description`);
      for (const v of m.values) assert.ok(v.description.length > 5, `${version} ${m.short}:${v.short} has a description`);
    }
  }
});

test('the committed script is what today’s sources bundle (npm run build:calculator), and it uses no eval', async () => {
  const committed = readFileSync(CALCULATOR_BUNDLE, 'utf8');
  assert.ok(committed === (await bundleCalculator()), 'data/workspace/cvss-calculator.js is stale: run npm run build:calculator');
  assert.doesNotMatch(committed, /\beval\s*\(|new Function\s*\(|setTimeout\s*\(\s*['"`]/);
});

const backend = BACKENDS.find((b) => b.name === 'sqlite')!;

describe('the calculator on the server', () => {
  let s: WorkspaceServer;
  let member: Client;
  let ref: string;
  before(async () => {
    s = await workspaceServer(backend, { seed: 'calculator' });
    await addUser(s.ws, 'max', 'member');
    member = new Client(s.app);
    await member.login('max@example.org');
    ref = (await fileReport(s.ws.deps, ANONYMOUS, reportInput())).acknowledgement.reference;
    const max = accountActor((await s.ws.deps.store.transaction((tx) => tx.accounts.list())).find((a) => a.name === 'max')!);
    await transitionCase(s.ws.deps, max, ref, 'triaging', 'looking');
  });

  test('the served script, run as it is served, agrees with the server on 2 × 1,000 random vectors too', async () => {
    const r = await s.app.inject('/workspace/static/cvss-calculator.js');
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.match(String(r.headers['cache-control']), /^public/);
    assert.equal(r.body, readFileSync(CALCULATOR_BUNDLE, 'utf8'));
    const served = runScript(r.body);
    differential(served.calculate, served.readVector, 1000);
    assert.equal(served.withVector('', '3.1', FIRST_EXAMPLES[0]!), FIRST_EXAMPLES[0]);
  });

  test('the triage tab loads the script (by its hash, with its integrity) under a policy without inline script or eval; other pages have no script', async () => {
    const r = await member.get(`/workspace/cases/${ref}?tab=triage`);
    assert.equal(r.statusCode, 200);
    const csp = String(r.headers['content-security-policy']);
    assert.match(csp, /(^|; )script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const body = readFileSync(CALCULATOR_BUNDLE);
    const version = createHash('sha256').update(body).digest('hex').slice(0, 16);
    const integrity = `sha384-${createHash('sha384').update(body).digest('base64')}`;
    assert.ok(r.body.includes(`<script src="/workspace/static/cvss-calculator.js?v=${version}" integrity="${integrity}" defer></script>`));
    assert.equal((r.body.match(/<script\b/g) ?? []).length, 1, 'one script element, and no inline script');
    assert.doesNotMatch(r.body, /\son[a-z]+="/, 'no inline event handler');
    for (const path of [`/workspace/cases/${ref}`, `/workspace/cases/${ref}?tab=audit`, '/workspace', '/workspace/report']) {
      const other = await member.get(path);
      assert.doesNotMatch(String(other.headers['content-security-policy']), /script-src/, path);
      assert.doesNotMatch(other.body, /<script\b/, path);
    }
  });

  test('the triage tab shows every metric of both versions with its description and each value’s', async () => {
    const r = await member.get(`/workspace/cases/${ref}?tab=triage`);
    for (const version of ['3.1', '4.0'] as const) {
      const form = new RegExp(`<form class="cvss-calculator" method="post" action="/workspace/cases/${ref}/cvss/${version}" aria-label="CVSS ${version} calculator" data-cvss-version="${version}" data-cvss-target="f-rating-cvss">([\\s\\S]*?)</form>`).exec(r.body);
      assert.ok(form, `the CVSS ${version} calculator`);
      const html = form[1]!;
      const prefix = `cvss${version.replace('.', '')}`;
      for (const m of allMetrics(version)) {
        const esc = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
        assert.ok(html.includes(`<legend>${esc(m.name)} (${m.short})</legend>\n<p class="metric-description">${esc(m.description)}</p>`), `${version} ${m.short}`);
        for (const v of m.values) {
          const id = `${prefix}-${m.short}-${v.short}`;
          assert.ok(html.includes(`<label for="${id}" title="${esc(v.description)}">${esc(v.name)} (${v.short})</label></span><span class="hint value-description" id="${id}-d">${esc(v.description)}</span>`), `${version} ${m.short}:${v.short}`);
        }
      }
      // optional metrics start at Not Defined; base metrics at nothing
      assert.match(html, new RegExp(`id="${prefix}-E-X" name="E" value="X" checked`));
      assert.doesNotMatch(html, new RegExp(`id="${prefix}-AV-N" name="AV" value="N"[^>]* checked`));
    }
    assert.match(r.body, /<textarea id="f-rating-cvss" name="cvss"/, 'the field the calculators write into');
  });

  test('CVSS-BTE vectors: the calculator’s form (without script), the rating form and the API score and keep them; invalid ones are refused', async () => {
    const v40 = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H/E:P/CR:L/IR:H/AR:L/MAV:L/MAC:H/MAT:N/MPR:N/MUI:N/MVC:N/MVI:H/MVA:L/MSC:N/MSI:S/MSA:L';
    const chosen = readVector('4.0', v40)!;
    // the calculator's form as a page without script sends it: every radio group, X for those left alone
    const all = Object.fromEntries(allMetrics('4.0').map((m) => [m.short, chosen[m.short] ?? (m.required ? '' : 'X')]));
    let r = await member.post(`/workspace/cases/${ref}/cvss/4.0`, { ...all, action: 'calculate' });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<strong id="cvss-score" data-cvss-score>7.0<\/strong> \(<span data-cvss-severity>high<\/span>, <span data-cvss-nomenclature>CVSS-BTE<\/span>; base score <span data-cvss-base-score>9.4<\/span>\)/);
    assert.ok(r.body.includes(`data-cvss-vector>${v40}</code>`));
    assert.match(String(r.headers['content-security-policy']), /script-src 'self'/);
    r = await member.post(`/workspace/cases/${ref}/cvss/4.0`, { ...all, action: 'save' });
    assert.equal(r.statusCode, 303);
    let view = await viewCase(s.ws.deps, accountActor((await s.ws.deps.store.transaction((tx) => tx.accounts.list())).find((a) => a.name === 'max')!), ref);
    assert.deepEqual(view.assessment!.cvss.map((c) => [c.vector, c.score]), [[v40, 9.4]], 'the case keeps the vector with its base score');

    // the rating form, as the script fills it: both versions, with temporal and threat metrics
    const v31 = 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:O/RC:C';
    const e40 = 'CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U';
    await member.get(`/workspace/cases/${ref}?tab=triage`);
    r = await member.post(`/workspace/cases/${ref}/rating`, { cvss: `${v31}\n${e40}`, cwes: 'CWE-79', severity: '' });
    assert.equal(r.statusCode, 303);
    r = await member.get(`/workspace/cases/${ref}?tab=triage`);
    assert.ok(r.body.includes(`<code>${v31}</code>: 6.1`) && r.body.includes(`<code>${e40}</code>: 7.7`), 'kept, with the base scores');
    // the calculators start from the stored vectors, with the server's score of each
    assert.ok(r.body.includes(`<strong id="cvss40-score" data-cvss-score>5.2</strong>`), 'CVSS-BT score of FIRST’s example');
    assert.ok(r.body.includes(`<strong id="cvss31-score" data-cvss-score>5.5</strong>`));
    assert.match(r.body, /id="cvss40-E-U" name="E" value="U"[^>]* checked/);
    view = await viewCase(s.ws.deps, accountActor((await s.ws.deps.store.transaction((tx) => tx.accounts.list())).find((a) => a.name === 'max')!), ref);
    assert.equal(view.assessment!.severity, 'medium', 'rated by the newest version’s score, CVSS-BT 5.2, as the calculator shows it');

    // refused, with the server's reason, and nothing changed
    for (const bad of ['CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:S/SI:N/SA:N', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:F', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H']) {
      r = await member.post(`/workspace/cases/${ref}/rating`, { cvss: bad, cwes: 'CWE-79', severity: '' });
      assert.equal(r.statusCode, 400, bad);
      assert.match(r.body, /There is a problem[\s\S]*CVSS vector/);
    }
    r = await member.post(`/workspace/cases/${ref}/cvss/4.0`, { ...all, SC: 'S', action: 'save' });
    assert.equal(r.statusCode, 400);
    assert.match(r.body, /&#39;S&#39; is not a value of SC/);
    const after = await viewCase(s.ws.deps, accountActor((await s.ws.deps.store.transaction((tx) => tx.accounts.list())).find((a) => a.name === 'max')!), ref);
    assert.deepEqual(after.assessment!.cvss.map((c) => c.vector), [v31, e40]);

    // the API scores a CVSS-BTE vector as the calculator does
    r = await s.app.inject({ method: 'POST', url: '/api/cvss', payload: { vector: v40 } });
    assert.equal(r.statusCode, 200);
    const api = JSON.parse(r.body) as Record<string, unknown>;
    assert.deepEqual(api, { version: '4.0', ...pick(calculate('4.0', chosen)) });
  });
});
