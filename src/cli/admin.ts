/**
 * `cpansec admin …`: the disclosure workspace's accounts from the server's machine. `create` makes
 * the first administrator (there is no default account or password anywhere); the others act as
 * an administrator (`--as`, default the first one) — the operator has the database anyway, and
 * the audit log names the administrator. Passwords are read without echo on a terminal, or as
 * the first line of standard input, never from the command line (it would land in the shell's
 * history and the process list). The store, the drivers and the domain load only in the action.
 */
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import type { Account, AccountActor, DisclosureDeps } from '../disclosure/index.js';
import type { Store } from '../store/index.js';
import type { Run } from './main.js';
import { storeLocation, storeOptions, type StoreFlags } from './db.js';

interface AdminFlags extends StoreFlags {
  baseUrl: string;
  as?: string;
  format?: string;
  requireTotpForStaff?: boolean;
}

/** A secret from the terminal without echo, or the first line of standard input when it is not one. */
async function readSecret(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    let data = '';
    for await (const chunk of stdin) {
      data += String(chunk);
      if (data.includes('\n')) break;
    }
    return data.split(/\r?\n/)[0] ?? '';
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let s = '';
    const done = (fn: () => void) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', on);
      process.stderr.write('\n');
      fn();
    };
    const on = (key: string) => {
      for (const ch of key) {
        if (ch === '\r' || ch === '\n') return done(() => resolve(s));
        if (ch === '\u0003') return done(() => reject(new CpansecError('USAGE', 'cancelled')));
        if (ch === '\u007f' || ch === '\b') s = s.slice(0, -1);
        else s += ch;
      }
    };
    stdin.on('data', on);
  });
}

async function newPassword(): Promise<string> {
  const first = await readSecret('Password for the administrator: ');
  if (process.stdin.isTTY && (await readSecret('The same password again: ')) !== first) throw new CpansecError('USAGE', 'the two passwords differ');
  if (!first) throw new CpansecError('USAGE', 'no password given (type it at the prompt, or give it as the first line of standard input)');
  return first;
}

async function withWorkspace<T>(flags: AdminFlags, fn: (deps: DisclosureDeps, store: Store) => Promise<T>): Promise<T> {
  const { Store, SqlDisclosureStore } = await import('../store/index.js');
  const d = await import('../disclosure/index.js');
  const base = flags.baseUrl.replace(/\/+$/, '');
  const host = (() => {
    try {
      return new URL(base).hostname;
    } catch {
      throw new CpansecError('USAGE', `--base-url is not a URL: ${flags.baseUrl}`);
    }
  })();
  const store = await Store.open(storeLocation(flags));
  try {
    const deps: DisclosureDeps = {
      store: new SqlDisclosureStore(store.db, store.dialect),
      clock: d.systemClock,
      random: d.cryptoRandom,
      config: d.disclosureConfig({
        teamAddress: process.env.CPANSEC_TEAM_ADDRESS ?? `security-team@${host}`,
        from: process.env.CPANSEC_MAIL_FROM ?? `cpansec <noreply@${host}>`,
        links: { case: (r) => `${base}/workspace/cases/${r}`, invitation: (t) => `${base}/workspace/invitations/${t}` },
        outbox: { messageIdDomain: host },
        // as the server is run: the operator must not hand a token to whom the server would restrict
        requireTotpForStaff: flags.requireTotpForStaff === true || process.env.CPANSEC_REQUIRE_TOTP_FOR_STAFF === '1',
      }),
    };
    return await fn(deps, store);
  } finally {
    await store.close();
  }
}

async function accountByEmail(deps: DisclosureDeps, email: string): Promise<Account> {
  const a = await deps.store.transaction((tx) => tx.accounts.getByEmailKey(email.trim().toLowerCase()));
  if (!a) throw new CpansecError('NOT_FOUND', 'no account with this address', { file: email });
  return a;
}

/** The administrator the command acts as: --as, else the first enabled one. */
async function administrator(deps: DisclosureDeps, as: string | undefined): Promise<AccountActor> {
  const { accountActor } = await import('../disclosure/index.js');
  const admin = as ? await accountByEmail(deps, as) : (await deps.store.transaction((tx) => tx.accounts.list())).find((a) => a.role === 'admin' && !a.disabled);
  if (!admin) throw new CpansecError('USAGE', 'there is no administrator yet: run `cpansec admin create` first');
  if (admin.role !== 'admin' || admin.disabled) throw new CpansecError('FORBIDDEN', 'not an enabled administrator', { file: admin.email });
  return accountActor(admin);
}

function common(cmd: Command): Command {
  return storeOptions(cmd)
    .option('--base-url <url>', 'the public URL of the server, for links in mails (env CPANSEC_BASE_URL)', process.env.CPANSEC_BASE_URL ?? 'http://127.0.0.1:8080')
    .option('--as <email>', 'the administrator to act as (default: the first one)');
}

export function register(program: Command, run: Run): void {
  const admin = program.command('admin').description("the disclosure workspace's accounts: the first administrator, invitations, password resets, API tokens");

  common(
    admin
      .command('create')
      .description('create the first administrator (asks for the password; or reads it from standard input)')
      .requiredOption('--email <address>', "the administrator's e-mail address")
      .requiredOption('--name <name>', "the administrator's name"),
  ).action(async (flags: AdminFlags & { email: string; name: string }) => {
    await run(async () => {
      const password = await newPassword();
      return withWorkspace(flags, async (deps) => {
        const { createFirstAdmin, systemActor } = await import('../disclosure/index.js');
        const a = await createFirstAdmin(deps, systemActor('cli'), { email: flags.email, name: flags.name, password });
        process.stdout.write(`created the administrator ${a.name} <${a.email}>; log in at ${flags.baseUrl.replace(/\/+$/, '')}/workspace/login\n`);
        return 0;
      });
    });
  });

  common(
    admin
      .command('invite')
      .argument('<email>', 'who to invite')
      .requiredOption('--name <name>', 'their name')
      .option('--role <role>', 'member (team member), admin, external, or downstream (a packager the team pre-notifies)', 'member')
      .description('add an account and mail an invitation link to set its password (the link is printed too)'),
  ).action(async (email: string, flags: AdminFlags & { name: string; role: string }) => {
    await run(() =>
      withWorkspace(flags, async (deps) => {
        const { inviteAccount } = await import('../disclosure/index.js');
        const { account, link } = await inviteAccount(deps, await administrator(deps, flags.as), { email, name: flags.name, role: flags.role }, { revealLink: true });
        process.stdout.write(`invited ${account.name} <${account.email}> as ${account.role}; the link (also mailed) works once:\n${link}\n`);
        return 0;
      }),
    );
  });

  common(
    admin
      .command('reset-password')
      .argument('<email>', 'whose password')
      .option('--reason <text>', 'why (recorded in the audit log)', 'password reset by the operator')
      .description('end the password and every session of an account; mail and print a link to set a new one'),
  ).action(async (email: string, flags: AdminFlags & { reason: string }) => {
    await run(() =>
      withWorkspace(flags, async (deps) => {
        const { resetPassword } = await import('../disclosure/index.js');
        const target = await accountByEmail(deps, email);
        const { link } = await resetPassword(deps, await administrator(deps, flags.as), target.id, flags.reason, { revealLink: true });
        process.stdout.write(`the password of ${target.email} no longer works; a new one is set with this link (also mailed, works once):\n${link}\n`);
        return 0;
      }),
    );
  });

  common(
    admin
      .command('set')
      .argument('<email>', 'whose account')
      .option('--role <role>', 'member, admin, external or downstream')
      .option('--disable', 'disable the account (its sessions end)')
      .option('--enable', 'enable it again')
      .requiredOption('--reason <text>', 'why (recorded in the audit log)')
      .description("change an account's role, or disable or enable it"),
  ).action(async (email: string, flags: AdminFlags & { role?: string; disable?: boolean; enable?: boolean; reason: string }) => {
    await run(() =>
      withWorkspace(flags, async (deps) => {
        if (flags.disable && flags.enable) throw new CpansecError('USAGE', '--disable and --enable together');
        const { updateAccount } = await import('../disclosure/index.js');
        const target = await accountByEmail(deps, email);
        const a = await updateAccount(deps, await administrator(deps, flags.as), target.id, { ...(flags.role ? { role: flags.role } : {}), ...(flags.disable ? { disabled: true } : flags.enable ? { disabled: false } : {}) }, flags.reason);
        process.stdout.write(`${a.email}: ${a.role}, ${a.disabled ? 'disabled' : 'enabled'}\n`);
        return 0;
      }),
    );
  });

  common(admin.command('list').description('list the accounts').option('--format <format>', 'text or json', 'text')).action(async (flags: AdminFlags) => {
    await run(() =>
      withWorkspace(flags, async (deps) => {
        const { accountView } = await import('../disclosure/index.js');
        const accounts = (await deps.store.transaction((tx) => tx.accounts.list())).map(accountView);
        if (flags.format === 'json') process.stdout.write(`${JSON.stringify(accounts.map(({ id, email, name, role, disabled, hasPassword, secondFactor, createdAt }) => ({ id, email, name, role, disabled, hasPassword, secondFactor, createdAt })), null, 2)}\n`);
        else if (flags.format !== 'text') throw new CpansecError('USAGE', `--format takes text or json: ${flags.format}`);
        else {
          if (!accounts.length) process.stdout.write('no accounts yet: run `cpansec admin create`\n');
          for (const a of accounts) {
            const status = a.disabled ? 'disabled' : a.hasPassword ? 'active' : 'invited';
            process.stdout.write(`${a.email}\t${a.name}\t${a.role}\t${status}${a.secondFactor ? '\t2FA' : ''}\n`);
          }
        }
        return 0;
      }),
    );
  });

  common(
    admin
      .command('token')
      .argument('<email>', 'whose token')
      .requiredOption('--name <name>', 'what it is for (e.g. "CI of Foo-Bar")')
      .option('--read-only', 'it may only read')
      .option('--days <n>', 'valid for this many days (1 to 366)', '90')
      .option('--require-totp-for-staff', 'as `serve --require-totp-for-staff` (env CPANSEC_REQUIRE_TOTP_FOR_STAFF=1): refuse a team member without a second factor')
      .description('make an API token for an account (printed once) — for scripts; the audit log names the administrator'),
  ).action(async (email: string, flags: AdminFlags & { name: string; readOnly?: boolean; days: string }) => {
    await run(() =>
      withWorkspace(flags, async (deps) => {
        const { issueApiToken } = await import('../disclosure/index.js');
        const owner = await accountByEmail(deps, email);
        const { token, record } = await issueApiToken(deps, await administrator(deps, flags.as), owner.id, { name: flags.name, readOnly: flags.readOnly === true, expiresInDays: Number(flags.days) });
        process.stderr.write(`token ${record.prefix} for ${owner.email} (${record.readOnly ? 'read-only' : 'read and write'}), expires ${record.expiresAt}; it is not shown again:\n`);
        process.stdout.write(`${token}\n`);
        return 0;
      }),
    );
  });

  common(
    admin
      .command('audit-verify')
      .option('--head <seq:hash>', 'a head written down earlier or taken from a team mail ("Audit log head: SEQ HASH"); the log must still reach it')
      .description("verify the audit log's hash chain against the head the database recorded (and --head); prints the head to write down"),
  ).action(async (flags: AdminFlags & { head?: string }) => {
    await run(() =>
      withWorkspace(flags, async (deps) => {
        const { parseAuditHead, verifyAudit } = await import('../disclosure/index.js');
        const head = flags.head === undefined ? undefined : parseAuditHead(flags.head);
        if (flags.head !== undefined && !head) throw new CpansecError('USAGE', `--head takes SEQ:HASH (a number and 64 hex digits): ${flags.head}`);
        const v = await verifyAudit(deps, await administrator(deps, flags.as), head);
        if (!v.ok) throw new CpansecError('INTEGRITY_ERROR', `entry ${v.seq}: ${v.problem}`, { file: 'audit log' });
        process.stdout.write(`the audit log verifies: ${v.count} entries${head ? `, reaching the head ${head.seq} given` : ''}\n`);
        process.stdout.write(v.head ? `head ${v.head.seq}:${v.head.hash}\n` : 'the log is empty\n');
        return 0;
      }),
    );
  });
}
