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
      .option('--trust-proxy', 'behind a reverse proxy: take the client address from X-Forwarded-For'),
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
