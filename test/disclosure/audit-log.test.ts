import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chainEntry, entryHash, GENESIS_HASH, verifyAuditLog, type AuditEntry } from '../../src/disclosure/index.js';

function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  for (let i = 0; i < n; i++) {
    const head = out.at(-1);
    out.push(
      chainEntry(
        { at: `2026-03-0${1 + (i % 9)}T10:00:00.000Z`, actor: 'account:member', caseId: 'c1', action: 'case.transition', from: 'received', to: 'triaging', reason: `step ${i}`, data: { n: i, z: 'last', a: true } },
        head ? { seq: head.seq, hash: head.hash } : null,
      ),
    );
  }
  return out;
}

test('entries chain from the genesis hash with gapless sequence numbers', () => {
  const log = chain(5);
  assert.equal(log[0]!.prevHash, GENESIS_HASH);
  assert.deepEqual(log.map((e) => e.seq), [1, 2, 3, 4, 5]);
  for (let i = 1; i < log.length; i++) assert.equal(log[i]!.prevHash, log[i - 1]!.hash);
  assert.deepEqual(verifyAuditLog(log), { ok: true, count: 5, head: { seq: 5, hash: log[4]!.hash } });
  assert.deepEqual(verifyAuditLog([]), { ok: true, count: 0, head: null });
});

test('the hash does not depend on the order of the data keys', () => {
  const [e] = chain(1);
  const reordered = { ...e!, data: { z: 'last', a: true, n: 0 } };
  assert.equal(entryHash(reordered), e!.hash);
});

test('a changed field, a removed entry, a swap and a forged rehash are each caught at the right entry', () => {
  const log = chain(6);
  const changed = log.map((e) => (e.seq === 3 ? { ...e, reason: 'nothing to see' } : e));
  assert.deepEqual(verifyAuditLog(changed), { ok: false, seq: 3, problem: 'its content does not match its hash (the entry was changed)' });

  const actorChanged = log.map((e) => (e.seq === 2 ? { ...e, actor: 'account:admin' } : e));
  assert.equal((verifyAuditLog(actorChanged) as { seq: number }).seq, 2);

  const removed = log.filter((e) => e.seq !== 4);
  assert.deepEqual(verifyAuditLog(removed), { ok: false, seq: 5, problem: 'expected entry 4, found 5 (entries missing or out of order)' });

  const swapped = [log[0]!, log[2]!, log[1]!, ...log.slice(3)];
  assert.equal((verifyAuditLog(swapped) as { seq: number }).seq, 3);

  // rewriting an entry and recomputing its own hash breaks the link of the next one
  const forged = log.map((e) => (e.seq === 3 ? { ...e, to: 'rejected' } : e));
  forged[2] = { ...forged[2]!, hash: entryHash(forged[2]!) };
  assert.deepEqual(verifyAuditLog(forged), { ok: false, seq: 4, problem: 'does not link to the previous entry (an entry before it was changed or removed)' });
});

test('cutting entries off the end is caught against a head recorded before', () => {
  const log = chain(6);
  const head = { seq: 6, hash: log[5]!.hash };
  assert.equal(verifyAuditLog(log, head).ok, true);
  const cut = log.slice(0, 4);
  assert.equal(verifyAuditLog(cut).ok, true, 'a shorter chain is valid on its own');
  assert.deepEqual(verifyAuditLog(cut, head), { ok: false, seq: 6, problem: 'the log ends at entry 4 but reached 6 before (entries cut off)' });
  // a rewritten log of the same length reaches the recorded seq with another hash
  const rewritten: AuditEntry[] = [];
  for (const e of log) {
    const prev = rewritten.at(-1);
    rewritten.push(chainEntry({ ...e, reason: `${e.reason} (rewritten)` }, prev ? { seq: prev.seq, hash: prev.hash } : null));
  }
  assert.equal(verifyAuditLog(rewritten).ok, true);
  assert.match((verifyAuditLog(rewritten, head) as { problem: string }).problem, /another hash/);
  assert.equal(verifyAuditLog(log, { seq: 3, hash: log[2]!.hash }).ok, true, 'an older head is still reached');
});
