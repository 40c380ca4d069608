/** `cpansec serve`: the web site, the OSV-compatible and MetaCPAN APIs and the downloads. */
import { isIP } from 'node:net';
import type { Command } from 'commander';
import { CpansecError } from '../errors.js';
import { PACKAGE_VERSION } from './context.js';
import type { Run } from './main.js';
import { storeLocation, storeOptions, type StoreFlags } from './db.js';
import { logServeOptions, logServeSettings, type LogServeFlags } from './log-serve.js';

interface ServeFlags extends StoreFlags, LogServeFlags {
  host: string;
  port: string;
  baseUrl?: string;
  logLevel: string;
  refreshInterval: string;
  trustProxy?: string;
  title?: string;
  workspace: boolean;
  smtpUrl?: string;
  teamAddress?: string;
  mailFrom?: string;
  remindersInterval: string;
  outboxInterval: string;
  requireTotpForStaff?: boolean;
  authorResponseDays?: string;
  authorReminderDays?: string;
  authorSecondChannelDays?: string;
  authorDecisionDays?: string;
  tufKeys?: string;
  tufRefreshInterval: string;
  attachmentMaxMb: string;
  attachmentMaxFiles: string;
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

/** A positive number within bounds, for a flag. */
function bounded(text: string, flag: string, min: number, max: number, whole: boolean): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n < min || n > max || (whole && !Number.isInteger(n))) throw new CpansecError('USAGE', `${flag} takes ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}: ${text}`);
  return n;
}

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * `--trust-proxy`: a number of hops (1 to 10), or the proxies' addresses and networks, comma
 * separated (`10.0.0.1,192.168.0.0/16,::1`, or proxy-addr's names loopback, linklocal,
 * uniquelocal). Never "every hop": any client could then choose its address.
 */
export function parseTrustProxy(text: string | undefined): false | number | string[] {
  if (text === undefined) return false;
  const t = text.trim();
  if (/^\d+$/.test(t)) {
    const n = Number(t);
    if (n < 1 || n > 10) throw new CpansecError('USAGE', `--trust-proxy takes 1 to 10 hops, or the proxies' addresses: ${text}`);
    return n;
  }
  const list = t.split(',').map((x) => x.trim());
  for (const entry of list) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!PROXY_NAMES.includes(entry) && (!family || !okBits || extra !== undefined)) {
      throw new CpansecError('USAGE', `--trust-proxy takes a number of hops or proxy addresses (IP, CIDR, ${PROXY_NAMES.join(', ')}), comma separated: '${entry}' is none`);
    }
  }
  return list;
}

/** A number of days for an --author-*-days flag. */
function days(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 365) throw new CpansecError('USAGE', `${flag} takes a whole number of days from 1 to 365: ${text}`);
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
  storeOptions(logServeOptions(
    program
      .command('serve')
      .description('run the public web site, the OSV-compatible and MetaCPAN APIs, and the downloads')
      .option('--host <address>', 'address to listen on', process.env.HOST ?? '127.0.0.1')
      .option('--port <port>', 'port to listen on (0: any free port)', process.env.PORT ?? '8080')
      .option('--base-url <url>', 'public URL of the site, for links in feeds and API answers (default: the address listened on)')
      .option('--title <title>', "the site's name")
      .option('--log-level <level>', `log level: ${LEVELS.join(', ')}`, 'info')
      .option('--refresh-interval <seconds>', 'how often to look for changes written by other processes', '2')
      .option('--trust-proxy <hops|addresses>', "behind reverse proxies: believe X-Forwarded-For from this many hops, or from these proxy addresses/CIDRs (comma separated); default: nobody's")
      .option('--no-workspace', 'serve no disclosure workspace (/workspace, /api): a public mirror')
      .option('--smtp-url <url>', 'smtp(s)://user:password@host:port the outbox is sent through (env CPANSEC_SMTP_URL; without it mail stays queued)', process.env.CPANSEC_SMTP_URL)
      .option('--team-address <email>', "the team's private list, where notifications go (env CPANSEC_TEAM_ADDRESS)", process.env.CPANSEC_TEAM_ADDRESS)
      .option('--mail-from <address>', 'From: of every mail (env CPANSEC_MAIL_FROM)', process.env.CPANSEC_MAIL_FROM)
      .option('--reminders-interval <minutes>', 'how often embargo reminders and escalations are queued (0: never by timer)', '15')
      .option('--outbox-interval <seconds>', 'how often queued mail is sent, with --smtp-url (0: never by timer)', '30')
      .option('--require-totp-for-staff', 'team members must set up a second factor before anything else')
      .option('--author-response-days <days>', 'the author is asked to answer within this many days of the first contact (default 14)')
      .option('--author-reminder-days <days>', 'remind the author after this many days without an answer (default 7)')
      .option('--author-second-channel-days <days>', 'try another channel this many days after the first contact (default 14)')
      .option('--author-decision-days <days>', 'the team decides (publish without a fix?) this many days after the first contact (default 30)')
      .option('--attachment-max-mb <megabytes>', 'largest file with a report or message (larger ones are refused with 413)', '10')
      .option('--attachment-max-files <n>', 'files with one report or message', '5')
      .option('--tuf-keys <dir>', "the TUF repository's online keys (timestamp.pem, snapshot.pem): the timestamp is kept from expiring (env CPANSEC_TUF_KEYS)", process.env.CPANSEC_TUF_KEYS)
      .option('--tuf-refresh-interval <minutes>', 'how often the TUF timestamp is checked and refreshed, with --tuf-keys', '60')),
  ).action(async (flags: ServeFlags) => {
    await run(async () => {
      if (!LEVELS.includes(flags.logLevel)) throw new CpansecError('USAGE', `--log-level takes one of ${LEVELS.join(', ')}: ${flags.logLevel}`);
      const refresh = Number(flags.refreshInterval);
      if (!(refresh > 0)) throw new CpansecError('USAGE', `--refresh-interval takes a number of seconds: ${flags.refreshInterval}`);
      const trustProxy = parseTrustProxy(flags.trustProxy);
      const contact = Object.fromEntries(
        Object.entries({
          responseDays: days(flags.authorResponseDays, '--author-response-days'),
          reminderAfterDays: days(flags.authorReminderDays, '--author-reminder-days'),
          secondChannelAfterDays: days(flags.authorSecondChannelDays, '--author-second-channel-days'),
          decisionAfterDays: days(flags.authorDecisionDays, '--author-decision-days'),
        }).filter(([, v]) => v !== undefined),
      );
      const { checkContactPolicy, DEFAULT_CONTACT_POLICY } = await import('../disclosure/index.js');
      try {
        checkContactPolicy({ ...DEFAULT_CONTACT_POLICY, ...contact });
      } catch (e) {
        throw new CpansecError('USAGE', `--author-*-days: ${(e as Error).message}`);
      }
      // loaded here, not at the top: the other commands never pay for the server's packages
      const { startServer } = await import('../server/index.js');
      const server = await startServer({
        host: flags.host,
        port: port(flags.port),
        baseUrl: baseUrl(flags.baseUrl),
        ...storeLocation(flags),
        logLevel: flags.logLevel,
        refreshIntervalMs: refresh * 1000,
        trustProxy,
        config: { version: PACKAGE_VERSION, ...(flags.title ? { title: flags.title } : {}) },
        workspace: {
          enabled: flags.workspace,
          ...(flags.smtpUrl ? { smtpUrl: flags.smtpUrl } : {}),
          ...(flags.teamAddress ? { teamAddress: flags.teamAddress } : {}),
          ...(flags.mailFrom ? { mailFrom: flags.mailFrom } : {}),
          remindersIntervalMs: interval(flags.remindersInterval, '--reminders-interval') * 60_000,
          drainIntervalMs: interval(flags.outboxInterval, '--outbox-interval') * 1000,
          requireTotpForStaff: flags.requireTotpForStaff === true,
          contact,
          attachmentMaxBytes: Math.round(bounded(flags.attachmentMaxMb, '--attachment-max-mb', 0.001, 1024, false) * 1024 * 1024),
          attachmentMaxFiles: bounded(flags.attachmentMaxFiles, '--attachment-max-files', 1, 50, true),
        },
        provenance: await logServeSettings(flags),
        ...(flags.tufKeys ? { tuf: { keysDir: flags.tufKeys, refreshIntervalMs: interval(flags.tufRefreshInterval, '--tuf-refresh-interval') * 60_000 } } : {}),
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
