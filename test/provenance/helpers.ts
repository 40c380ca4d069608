/** Child processes of the CLI for the log's tests: a server (serve or witness) whose URL is read from its log. */
import { spawn, type ChildProcess } from 'node:child_process';
import { after } from 'node:test';
import { projectPath } from '../helpers/paths.js';

export interface Child {
  url: string;
  child: ChildProcess;
  closed: Promise<unknown>;
  stderr: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const running = new Set<ChildProcess>();
after(() => {
  for (const c of running) c.kill('SIGKILL');
});

/** Start `cpansec <args>` and wait for the JSON log line `message` with its "url". */
export function startCli(args: string[], message: string, timeoutMs = 120_000): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'cli-entry.ts'), ...args], { cwd: projectPath(), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  running.add(child);
  const closed = new Promise((resolve) => child.once('close', resolve)).then(() => running.delete(child));
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cpansec ${args[0]} did not start: ${err}`)), timeoutMs);
    child.once('close', (code) => reject(new Error(`cpansec ${args[0]} exited with ${code}: ${err}`)));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.includes(`"${message}"`));
      const m = line && /"url":"([^"]+)"/.exec(line);
      if (m) {
        clearTimeout(timer);
        child.stdout!.removeAllListeners('data');
        child.stdout!.resume();
        resolve({
          url: m[1]!,
          child,
          closed,
          stderr: () => err,
          async kill(signal = 'SIGTERM') {
            child.kill(signal);
            await closed;
          },
        });
      }
    });
  });
}

export async function waitFor<T>(fn: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
