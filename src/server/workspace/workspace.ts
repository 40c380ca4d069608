/**
 * One workspace per server: the disclosure domain's dependencies over the server's store (the same
 * database as the publication), its clock, the current vulnerability index, and what happens when
 * a case is published — the advisory goes into the publication store, and so into the index,
 * the site, the feeds and the APIs at once.
 */
import { randomBytes } from 'node:crypto';
import {
  checkContactPolicy,
  CredentialThrottle,
  cryptoRandom,
  DEFAULT_CONTACT_POLICY,
  disclosureConfig,
  systemActor,
  type AdvisoryPublished,
  type DisclosureDeps,
  type MailTransport,
} from '../../disclosure/index.js';
import type { VulnerabilityIndex } from '../../index/index.js';
import { SqlDisclosureStore, type Store } from '../../store/index.js';
import type { ServerContext } from '../context.js';
import { buildCveRecord } from './cve-record.js';
import { encryptingTransport } from './encrypting-transport.js';
import type { WorkspaceSettings } from './settings.js';

export const SCHEDULER = systemActor('scheduler');

export class Workspace {
  readonly deps: DisclosureDeps;
  /** the outbox's transport, when mail can be sent */
  transport?: MailTransport;

  constructor(
    readonly store: Store,
    readonly ctx: ServerContext,
    readonly settings: WorkspaceSettings,
  ) {
    const base = () => `${ctx.config.baseUrl}/workspace`;
    const messageIdDomain = /@([^>\s]+)>?$/.exec(settings.mailFrom)?.[1] ?? 'cpansec.invalid';
    const config = disclosureConfig({
      teamAddress: settings.teamAddress,
      from: settings.mailFrom,
      // links are made when a mail is written: the base URL is known by then (set once listening)
      links: { case: (ref) => `${base()}/cases/${ref}`, invitation: (token) => `${base()}/invitations/${token}` },
      requireTotpForStaff: settings.requireTotpForStaff,
      outbox: { messageIdDomain },
      contact: checkContactPolicy({ ...DEFAULT_CONTACT_POLICY, ...settings.contact }),
      attachments: { maxBytes: settings.attachmentMaxBytes, maxFiles: settings.attachmentMaxFiles },
      ...(settings.scrypt ? { scrypt: settings.scrypt } : {}),
    });
    const deps: DisclosureDeps = {
      store: new SqlDisclosureStore(store.db, store.dialect),
      clock: { now: () => ctx.clock() },
      random: settings.random ?? cryptoRandom,
      config,
      ...(settings.cpan ? { cpan: settings.cpan } : {}),
      // the process's limits, unless the settings give their own (tests)
      ...(settings.throttle ? { throttle: new CredentialThrottle(settings.throttle) } : {}),
      // publication builds and validates the CVE record the way GET …/cve-record shows it
      checkCveRecord: (input) => buildCveRecord(input),
    };
    // the index of what is published now, whichever revision that is
    Object.defineProperty(deps, 'index', { get: (): VulnerabilityIndex => ctx.publication.snapshot.index, enumerable: true });
    this.deps = deps;
    if (settings.transport) this.transport = settings.transport;
  }

  private presession?: Promise<Buffer>;

  /** The key of pre-session CSRF tokens: one for every server on the store, made by the first. */
  presessionKey(): Promise<Buffer> {
    this.presession ??= this.deps.store
      .transaction((tx) => tx.secrets.getOrCreate('presession-csrf-key', randomBytes(32).toString('base64url')))
      .then((v) => Buffer.from(v, 'base64url'));
    // a failed read is tried again by the next request
    this.presession.catch(() => (this.presession = undefined));
    return this.presession;
  }

  /** The transport the outbox sends through: mail to a reporter with an OpenPGP key encrypted to it. */
  outgoing(): MailTransport | undefined {
    return this.transport ? encryptingTransport(this.transport, this.deps.store) : undefined;
  }

  now(): Date {
    return this.ctx.clock();
  }

  /** Put a published case's advisory into the publication store and serve it at once. */
  async published(event: AdvisoryPublished, publishedAt: string): Promise<void> {
    await this.store.publishAdvisory(event.advisory, this.now(), { publishAt: new Date(publishedAt), by: event.reference });
    await this.ctx.publication.refresh();
  }

  /**
   * Published cases whose advisory is not in the publication store: a process that died between
   * the case's commit and the advisory's (two transactions) catches up here, at start and on the
   * reminder timer. Publishing is idempotent (by distribution and id).
   */
  async syncPublished(): Promise<number> {
    const cases = await this.deps.store.transaction((tx) => tx.cases.list({ states: ['published'] }));
    const local = await this.store.db.selectFrom('advisories').select(['distribution', 'id']).where('origin', '=', 'local').execute();
    const have = new Set(local.map((r) => `${r.distribution}\u0000${r.id}`));
    let n = 0;
    for (const c of cases) {
      const a = c.draft?.advisory;
      if (!a || !c.publishedAt || have.has(`${a.distribution}\u0000${a.id}`)) continue;
      await this.store.publishAdvisory(a, this.now(), { publishAt: new Date(c.publishedAt), by: c.reference });
      n++;
    }
    if (n) await this.ctx.publication.refresh();
    return n;
  }
}
