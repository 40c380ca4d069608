/**
 * The perl whose core modules count: `--perl VERSION` when given, else the `perl` on PATH (the perl in
 * use, as cpan-audit takes its own), else the newest perl the bundled core-module data knows. Asked
 * only when an audit needs it; running perl is a convenience here, never a requirement.
 */
import { spawnSync } from 'node:child_process';
import { checkPerlVersion, newestPerl } from '../perl/index.js';

export interface PerlInUse {
  /** dotted, e.g. 5.36.0 */
  version: string;
  /** how it was chosen, for the report */
  how: string;
}

function onPath(): string | undefined {
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
