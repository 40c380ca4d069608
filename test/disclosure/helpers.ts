/** Shared fixtures of the disclosure tests: a settable clock, a seeded random source, a store with accounts. */
import { createHash } from 'node:crypto';
import {
  accountActor,
  disclosureConfig,
  drainOutbox,
  mailLinks,
  type MailMessage,
  newCase,
  validateReport,
  type Case,
  emailKey,
  MemoryStore,
  type Account,
  type AccountActor,
  type AccountRole,
  type Clock,
  type DisclosureConfig,
  type DisclosureDeps,
  type RandomSource,
} from '../../src/disclosure/index.js';
import { loadBundledDatabase, VulnerabilityIndex } from '../../src/index/index.js';
import { buildCveRecord } from '../../src/server/workspace/cve-record.js';

export class TestClock implements Clock {
  constructor(public t: Date = new Date('2026-03-02T10:00:00Z')) {}
  now(): Date {
    return new Date(this.t);
  }
  advanceDays(days: number): void {
    this.t = new Date(this.t.getTime() + days * 86_400_000);
  }
  advanceMinutes(minutes: number): void {
    this.t = new Date(this.t.getTime() + minutes * 60_000);
  }
}

/** Deterministic bytes: SHA-256 of a seed and a counter. */
export function seededRandom(seed = 'cpansec'): RandomSource {
  let counter = 0;
  return {
    bytes(n: number) {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i += 32) {
        const block = createHash('sha256').update(`${seed}:${counter++}`).digest();
        out.set(block.subarray(0, Math.min(32, n - i)), i);
      }
      return out;
    },
  };
}

/** scrypt parameters cheap enough for tests (the defaults cost 128 MiB and ~0.4 s a hash). */
export const TEST_SCRYPT = { ln: 4, r: 8, p: 1 };

export const TEAM = 'team@cpansec.test';

let bundled: VulnerabilityIndex | undefined;
export function bundledIndex(): VulnerabilityIndex {
  bundled ??= new VulnerabilityIndex(loadBundledDatabase());
  return bundled;
}

/** The workspace's configuration in the tests: the team's address, links to cpansec.test, cheap hashing. */
export function testConfig(): DisclosureConfig {
  return disclosureConfig({
    teamAddress: TEAM,
    from: 'cpansec <noreply@cpansec.test>',
    links: { case: (r) => `https://cpansec.test/cases/${r}`, invitation: (t) => `https://cpansec.test/invitations/${t}` },
    scrypt: TEST_SCRYPT,
    outbox: { messageIdDomain: 'cpansec.test' },
  });
}

export interface World {
  deps: DisclosureDeps & { store: MemoryStore; clock: TestClock };
  clock: TestClock;
  admin: AccountActor;
  member: AccountActor;
  reporter: AccountActor;
  otherReporter: AccountActor;
  author: AccountActor;
}

export function makeDeps(options: { index?: VulnerabilityIndex; seed?: string } = {}): DisclosureDeps & { store: MemoryStore; clock: TestClock } {
  const clock = new TestClock();
  return {
    store: new MemoryStore(),
    clock,
    random: seededRandom(options.seed),
    config: testConfig(),
    ...(options.index ? { index: options.index } : {}),
    // as the workspace wires it: publication builds and validates the CVE record with src/publish
    checkCveRecord: buildCveRecord,
  };
}

/** An account put straight into the store (tests of other things need not go through invitations). */
export async function addAccount(deps: DisclosureDeps, id: string, role: AccountRole, email = `${id}@example.org`): Promise<AccountActor> {
  const now = deps.clock.now().toISOString();
  const account: Account = { id, email, emailKey: emailKey(email), name: id, role, passwordHash: null, disabled: false, totp: null, createdAt: now, updatedAt: now };
  await deps.store.transaction((tx) => tx.accounts.insert(account));
  return accountActor(account);
}

export async function world(options: { index?: VulnerabilityIndex } = {}): Promise<World> {
  const deps = makeDeps(options);
  return {
    deps,
    clock: deps.clock,
    admin: await addAccount(deps, 'admin', 'admin'),
    member: await addAccount(deps, 'member', 'member'),
    reporter: await addAccount(deps, 'reporter', 'external'),
    otherReporter: await addAccount(deps, 'other', 'external'),
    author: await addAccount(deps, 'author', 'external', 'author@cpan.example'),
  };
}

export function reportInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    distribution: 'Foo-Bar',
    affectedVersions: ['<= 1.23'],
    description: 'Foo::Bar::parse follows symlinks when extracting archives, so a crafted archive writes outside the target.',
    proof: 'perl -MFoo::Bar -e "Foo::Bar::parse(q{evil.tar})"',
    reporterName: 'Rita Reporter',
    reporterEmail: 'rita@example.org',
    credit: 'Rita Reporter',
    ...overrides,
  };
}

/** A case record built directly (accepted, unless overridden), for tests of pure functions and of the store. */
export function makeCase(overrides: Partial<Case> = {}): Case {
  const filed = newCase({ id: 'x'.repeat(26), reference: 'CPANSEC-2026-AAAA-AAAA', report: validateReport(reportInput()), reporterAccountId: null, at: '2026-03-01T09:00:00.000Z' });
  return { ...filed, state: 'accepted', ...overrides };
}

const mailboxes = new WeakMap<object, MailMessage[]>();

/** Every mail delivered so far through these deps' store, oldest first. */
export function mailbox(deps: Pick<DisclosureDeps, 'store'>): MailMessage[] {
  let box = mailboxes.get(deps.store);
  if (!box) mailboxes.set(deps.store, (box = []));
  return box;
}

/**
 * Send what the outbox holds, as the server's drain does — single-use links are made only then,
 * so a test reads them where a person does, in the mail — and return every mail delivered so far.
 */
export async function deliver(deps: DisclosureDeps): Promise<MailMessage[]> {
  const box = mailbox(deps);
  for (;;) {
    const r = await drainOutbox(deps.store, { send: async (m) => void box.push(m) }, deps.clock, deps.config.outbox, mailLinks(deps));
    if (r.sent + r.retried + r.failed + r.skipped === 0) return box;
  }
}

/** The token of the newest invitation link mailed to this address (delivering the outbox first). */
export async function mailedLink(deps: DisclosureDeps, to: string): Promise<string> {
  const m = [...(await deliver(deps))].reverse().find((x) => x.to === to && /invitations\//.test(x.text));
  if (!m) throw new Error(`no invitation mailed to ${to}`);
  return /invitations\/([0-9a-z]+)/.exec(m.text)![1]!;
}
