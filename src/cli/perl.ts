/**
 * The perl whose core modules count: `--perl VERSION` when given, else the `perl` on PATH (the perl in
 * use, as cpan-audit takes its own), else the newest perl the bundled core-module data knows. Asked
 * only when an audit needs it; running perl is a convenience here, never a requirement.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { checkPerlVersion, newestPerl } from '../perl/index.js';

export interface PerlInUse {
  /** dotted, e.g. 5.36.0 */
  version: string;
  /** how it was chosen, for the report */
  how: string;
}

/**
 * The version of the perl on PATH without running it, where its installation says so: Debian,
 * perlbrew and plenv install the binary with a hard link named for its version (perl5.36.0, same
 * inode). Running perl costs more than the whole audit of a lock.
 */
function fromHardLink(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    let st;
    try {
      // most PATH directories have no perl: no exception (and its stack trace) for each of them
      st = statSync(path.join(dir, 'perl'), { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (!st) continue;
    if (!st.isFile()) return undefined;
    try {
      // one search of all the names (/usr/bin has over a thousand), not one per name
      for (const name of readdirSync(dir).join('\n').match(/^perl5\.\d+\.\d+$/gm) ?? []) {
        const other = statSync(path.join(dir, name), { throwIfNoEntry: false });
        if (other && other.ino === st.ino && other.dev === st.dev) return name.slice('perl'.length);
      }
    } catch {
      /* unreadable directory: ask perl */
    }
    return undefined;
  }
  return undefined;
}

function onPath(): string | undefined {
  const linked = fromHardLink();
  if (linked) return linked;
  const r = spawnSync('perl', ['-e', 'print $]'], { encoding: 'utf8', timeout: 5000 });
  return r.status === 0 && /^5\.\d+$/.test(r.stdout.trim()) ? r.stdout.trim() : undefined;
}

export function perlInUse(flag: string | undefined): () => PerlInUse {
  let chosen: PerlInUse | undefined;
  if (flag !== undefined) chosen = { version: checkPerlVersion(flag), how: '--perl' };
  return () => {
    if (chosen) return chosen;
    const found = onPath();
    const newest = checkPerlVersion(newestPerl());
    if (found) {
      try {
        chosen = { version: checkPerlVersion(found), how: 'the perl on PATH' };
      } catch {
        chosen = { version: newest, how: `the newest the core-module data knows (the perl on PATH, ${found}, is newer)` };
      }
    } else chosen = { version: newest, how: 'the newest the core-module data knows (no perl on PATH; --perl names yours)' };
    return chosen;
  };
}
