/**
 * A case with a CVE id is published only when its CVE JSON 5 record builds and validates (the
 * same check as the draft page and GET …/cve-record), and reference URLs are RFC 3986 URIs, as the
 * CVE schema's `uri` format wants them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ANONYMOUS,
  assessCase,
  assignCve,
  createDraft,
  createFirstAdmin,
  editDraft,
  fileReport,
  login,
  publishCase,
  systemActor,
  transitionCase,
  url,
  type AccountActor,
} from '../../src/disclosure/index.js';
import { buildCveRecord } from '../../src/server/workspace/cve-record.js';
import { makeDeps, reportInput } from './helpers.js';

const PW = 'the first admin of cpansec';

async function fixReleasedCase(deps: ReturnType<typeof makeDeps>) {
  await createFirstAdmin(deps, systemActor('cli'), { email: 'ada@cpansec.test', name: 'Ada', password: PW });
  const r = await login(deps, { email: 'ada@cpansec.test', password: PW, ip: '192.0.2.1' });
  assert.ok(r.ok);
  const admin = r.actor as AccountActor;
  const ref = (await fileReport(deps, ANONYMOUS, reportInput())).acknowledgement.reference;
  await transitionCase(deps, admin, ref, 'triaging', 'x');
  await assessCase(deps, admin, ref, { scope: { override: { inScope: true, reason: 'on CPAN' } } });
  await transitionCase(deps, admin, ref, 'accepted', 'x');
  await transitionCase(deps, admin, ref, 'fix-in-progress', 'x');
  await transitionCase(deps, admin, ref, 'fix-released', '1.24');
  await createDraft(deps, admin, ref);
  await assignCve(deps, admin, ref, 'CVE-2026-1234');
  await editDraft(deps, admin, ref, {
    advisory: { description: 'Foo::Bar versions through 1.23 for Perl follow symlinks.', fixedVersions: ['>= 1.24'], references: ['https://example.org/fix'] },
    cna: { title: 'Foo::Bar versions through 1.23 for Perl follow symlinks', author: 'FOO' },
  });
  return { admin, ref };
}

test('URLs: RFC 3986 characters only, percent-encodings well formed', () => {
  for (const good of ['https://example.org/a/b?c=d&e=f#g', 'https://example.org/%7Efoo', "https://example.org/a(b)!$'*+,;=:@"]) assert.equal(url(good, 'u'), good);
  for (const bad of ['https://example.org/a{b}', 'https://example.org/a"b', 'https://example.org/a<b>', 'https://example.org/a|b', 'https://example.org/a\\b', 'https://example.org/a^b', 'https://example.org/a`b', 'https://exämple.org/x', 'https://example.org/%zz', 'https://example.org/100%']) {
    assert.throws(() => url(bad, 'u'), { code: 'PARSE_ERROR', message: /not an http\(s\) URL/ }, bad);
  }
});

test('publication of a case with a CVE id is refused while its CVE record does not validate, with the problems', async () => {
  const deps = makeDeps({ seed: 'publish-cve' });
  const { admin, ref } = await fixReleasedCase(deps);
  // a draft saved before URLs were checked as strictly: its reference breaks the CVE schema's `uri`
  await deps.store.transaction(async (tx) => {
    const c = (await tx.cases.getByReference(ref))!;
    const draft = { ...c.draft!, advisory: { ...c.draft!.advisory, references: ['https://example.org/fix{1}'] } };
    await tx.cases.update({ ...c, draft, version: c.version + 1 });
  });
  await assert.rejects(publishCase(deps, admin, ref, 'fixed'), { code: 'CONFLICT', message: /the CVE record of CVE-2026-1234 has \d+ error\(s\): .*references.*must match format "uri"/ });
  assert.equal(deps.store.snapshot().audit.some((e) => e.action === 'case.published'), false, 'nothing published');

  await editDraft(deps, admin, ref, { advisory: { references: ['https://example.org/fix%7B1%7D'] } });
  const { case: published } = await publishCase(deps, admin, ref, 'fixed');
  assert.equal(published.state, 'published');
});

test('without a CVE record checker, a case with a CVE id is not published; one without a CVE id is', async () => {
  const deps = makeDeps({ seed: 'publish-no-check' });
  delete deps.checkCveRecord;
  const { admin, ref } = await fixReleasedCase(deps);
  await assert.rejects(publishCase(deps, admin, ref, 'fixed'), { code: 'CONFLICT', message: /no CVE record checker/ });
  const other = makeDeps({ seed: 'publish-no-cve' });
  delete other.checkCveRecord;
  const o = await fixReleasedCase(other);
  await other.store.transaction(async (tx) => {
    const c = (await tx.cases.getByReference(o.ref))!;
    const draft = c.draft!;
    await tx.cases.update({ ...c, cve: null, draft: { ...draft, advisory: { ...draft.advisory, cves: [], id: 'CPANSA-Foo-Bar-2026-01' } }, version: c.version + 1 });
  });
  assert.equal((await publishCase(other, o.admin, o.ref, 'fixed')).case.state, 'published');
});

test('the CVE record carries the case: CVSS 3.1 and 4.0 in metrics with scores and severities, its CWE in problemTypes, datePublic the publication; the advisory is dated by its publication', async () => {
  const deps = makeDeps({ seed: 'publish-metrics' });
  await createFirstAdmin(deps, systemActor('cli'), { email: 'ada@cpansec.test', name: 'Ada', password: PW });
  const r = await login(deps, { email: 'ada@cpansec.test', password: PW, ip: '192.0.2.1' });
  assert.ok(r.ok);
  const admin = r.actor as AccountActor;
  const ref = (await fileReport(deps, ANONYMOUS, reportInput())).acknowledgement.reference;
  await transitionCase(deps, admin, ref, 'triaging', 'x');
  await assessCase(deps, admin, ref, {
    scope: { override: { inScope: true, reason: 'on CPAN' } },
    cvss: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N'],
    cwes: ['CWE-59'],
    fixedVersions: ['>= 1.24'],
  });
  await transitionCase(deps, admin, ref, 'accepted', 'x');
  await transitionCase(deps, admin, ref, 'fix-in-progress', 'x');
  await transitionCase(deps, admin, ref, 'fix-released', '1.24');
  await assignCve(deps, admin, ref, 'CVE-2026-4321');
  await createDraft(deps, admin, ref);
  await editDraft(deps, admin, ref, { advisory: { references: ['https://example.org/fix'] }, cna: { author: 'FOO' } });
  const filed = [...deps.store.snapshot().cases.values()][0]!.createdAt;
  deps.clock.advanceDays(3);
  const { case: c, events } = await publishCase(deps, admin, ref, 'fixed');
  const built = buildCveRecord(events[0].cve!);
  assert.deepEqual(built.problems.filter((p) => p.level === 'error'), []);
  const cna = (built.record!.containers as { cna: Record<string, unknown> }).cna;
  assert.equal(cna.datePublic, c.publishedAt);
  const metrics = cna.metrics as Record<string, Record<string, unknown>>[];
  assert.equal(metrics[0]!.cvssV3_1!.baseScore, 9.1);
  assert.equal(metrics[0]!.cvssV3_1!.baseSeverity, 'CRITICAL');
  assert.equal(metrics[1]!.cvssV4_0!.vectorString, 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N');
  assert.equal(typeof metrics[1]!.cvssV4_0!.baseScore, 'number');
  assert.deepEqual((cna.problemTypes as { descriptions: { cweId: string }[] }[])[0]!.descriptions[0]!.cweId, 'CWE-59');
  // the advisory (and so its OSV record's `published`) is dated by publication, not filing
  assert.equal(events[0].advisory.reported, c.publishedAt!.slice(0, 10));
  assert.notEqual(events[0].advisory.reported, filed.slice(0, 10));
  assert.equal(events[0].advisory.extra['x-report-received'], filed.slice(0, 10));
  assert.match(events[0].report, /x-report-received/);
});
