/** `cpansec serve`: the web site, the OSV-compatible and MetaCPAN APIs and the downloads. */
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { PACKAGE_VERSION } from './context.js';
import type { Run } from './main.js';
import { storeLocation, storeOptions, type StoreFlags } from './db.js';

interface ServeFlags extends StoreFlags {
  host: string;
  port: string;
  baseUrl?: string;
  logLevel: string;
  refreshInterval: string;
  trustProxy?: boolean;
  title?: string;
  workspace: boolean;
  smtpUrl?: string;
  teamAddress?: string;
  mailFrom?: string;
  remindersInterval: string;
  outboxInterval: string;
  requireTotpForStaff?: boolean;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SHUTDOWN_GRACE_MS = 10_000;

function port(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CpansecError('USAGE', `--port takes 0 to 65535: ${text}`);
  return n;
}

function baseUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new CpansecError('USAGE', `--base-url is not a URL: ${text}`);
  }
  if (!/^https?:$/.test(u.protocol)) throw new CpansecError('USAGE', `--base-url must be http(s): ${text}`);
  return text.replace(/\/+$/, '');
}

function interval(text: string, flag: string): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) throw new CpansecError('USAGE', `${flag} takes a number (0: off): ${text}`);
  return n;
}

/** Resolve when SIGTERM or SIGINT arrives. */
function signalled(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      process.off('SIGTERM', on);
      process.off('SIGINT', on);
      resolve(s);
    };
    process.on('SIGTERM', on);
    process.on('SIGINT', on);
  });
}

export function register(program: Command, run: Run): void {
  storeOptions(
    program
      .command('serve')
      .description('run the public web site, the OSV-compatible and MetaCPAN APIs, and the downloads')
      .option('--host <address>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
      .option('--port <port>', 'port to listen on (0: any free port)', process.env.PORT ?? '8080')
      .option('--base-url <url>', 'public URL of the site, for links in feeds and API answers (default: the address listened on)')
      .option('--title <title>', "the site's name")
      .option('--log-level <level>', `log level: ${LEVELS.join(', ')}`, 'info')
      .option('--refresh-interval <seconds>', 'how often to look for changes written by other processes', '2')
      .option('--trust-proxy', 'behind a reverse proxy: take the client address from X-Forwarded-For')
      .option('--no-workspace', 'serve no disclosure workspace (/workspace, /api): a public mirror')
      .option('--smtp-url <url>', 'smtp(s)://user:password@host:port the outbox is sent through (env CPANSEC_SMTP_URL; without it mail stays queued)', process.env.CPANSEC_SMTP_URL)
      .option('--team-address <email>', "the team's private list, where notifications go (env CPANSEC_TEAM_ADDRESS)", process.env.CPANSEC_TEAM_ADDRESS)
      .option('--mail-from <address>', 'From: of every mail (env CPANSEC_MAIL_FROM)', process.env.CPANSEC_MAIL_FROM)
      .option('--reminders-interval <minutes>', 'how often embargo reminders and escalations are queued (0: never by timer)', '15')
      .option('--outbox-interval <seconds>', 'how often queued mail is sent, with --smtp-url (0: never by timer)', '30')
      .option('--require-totp-for-staff', 'team members must set up a second factor before anything else'),
  ).action(async (flags: ServeFlags) => {
    await run(async () => {
      if (!LEVELS.includes(flags.logLevel)) throw new CpansecError('USAGE', `--log-level takes one of ${LEVELS.join(', ')}: ${flags.logLevel}`);
      const refresh = Number(flags.refreshInterval);
      if (!(refresh > 0)) throw new CpansecError('USAGE', `--refresh-interval takes a number of seconds: ${flags.refreshInterval}`);
      // loaded here, not at the top: the other commands never pay for the server's packages
      const { startServer } = await import('../server/index.js');
      const server = await startServer({
        host: flags.host,
        port: port(flags.port),
        baseUrl: baseUrl(flags.baseUrl),
        ...storeLocation(flags),
        logLevel: flags.logLevel,
        refreshIntervalMs: refresh * 1000,
        trustProxy: flags.trustProxy,
        config: { version: PACKAGE_VERSION, ...(flags.title ? { title: flags.title } : {}) },
        workspace: {
          enabled: flags.workspace,
          ...(flags.smtpUrl ? { smtpUrl: flags.smtpUrl } : {}),
          ...(flags.teamAddress ? { teamAddress: flags.teamAddress } : {}),
          ...(flags.mailFrom ? { mailFrom: flags.mailFrom } : {}),
          remindersIntervalMs: interval(flags.remindersInterval, '--reminders-interval') * 60_000,
          drainIntervalMs: interval(flags.outboxInterval, '--outbox-interval') * 1000,
          requireTotpForStaff: flags.requireTotpForStaff === true,
        },
      });
      const signal = await signalled();
      server.app.log.info({ signal }, 'shutting down: finishing requests in flight');
      const force = setTimeout(() => {
        server.app.log.error('shutdown took too long; exiting');
        process.exit(1);
      }, SHUTDOWN_GRACE_MS);
      force.unref();
      await server.close();
      clearTimeout(force);
      return 0;
    });
  });
}
