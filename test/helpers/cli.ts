import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { projectPath } from './paths.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the cpansec CLI from the sources, as a user would run the command. */
export function cli(args: string[], options: { cwd?: string; input?: string; env?: Record<string, string> } = {}): CliResult {
  const r = spawnSync(process.execPath, ['--import', 'tsx', projectPath('test', 'helpers', 'cli-entry.ts'), ...args], {
    cwd: options.cwd ?? projectPath(),
    input: options.input ?? '',
    env: { ...process.env, NO_COLOR: '1', CPANSEC_TODAY: '2026-11-24', ...options.env },
    encoding: 'utf8',
    timeout: 60_000,
    // spawnSync's default (1 MB) kills the child on larger outputs (advisory lint --format json)
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Run the CLI and expect exit 0: its standard output, else an assertion naming the command and its output. */
export function cliOk(args: string[]): string {
  const r = cli(args);
  assert.equal(r.status, 0, `cpansec ${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r.stdout;
}
