/**
 * Which files of a project to audit, and reading them. In a directory, the most exact source wins:
 * cpanfile.snapshot (locked versions) over cpanfile (requirements) over MYMETA.json > MYMETA.yml >
 * META.json > META.yml. A file given by name is read by its name.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { CpansecError } from '../../errors.js';
import { parseMeta } from '../../perl/index.js';
import type { Dependency } from '../dependency.js';
import { parseCpanfile } from './cpanfile.js';
import { metaDependencies } from './meta-prereqs.js';
import { parseSnapshot, snapshotDependencies, unlockedRequirements } from './snapshot.js';
import { readInputText } from '../../input-file.js';

const PREFERENCE = ['cpanfile.snapshot', 'cpanfile', 'MYMETA.json', 'MYMETA.yml', 'META.json', 'META.yml'];
const MAX_SIZE = 32 * 1024 * 1024;

export interface Sources {
  inputs: string[];
  dependencies: Dependency[];
}

function kindOf(file: string): string | undefined {
  const base = path.basename(file);
  if (base === 'cpanfile.snapshot' || base.endsWith('.snapshot')) return 'snapshot';
  if (base === 'cpanfile' || base.startsWith('cpanfile.') || base.endsWith('.cpanfile')) return 'cpanfile';
  // META.json, MYMETA.yml, and copies named after their distribution (Moo-2.005.META.json)
  if (/(^|[.-])(MY)?META\.(json|ya?ml)$/i.test(base)) return 'meta';
  return undefined;
}

function read(file: string): string {
  let regular = true;
  try {
    regular = file === '-' || statSync(file).isFile();
  } catch {
    /* readInputText names the error */
  }
  if (!regular) throw new CpansecError('USAGE', 'not a regular file (a FIFO or device?)', { file });
  return readInputText(file, MAX_SIZE);
}

/** Dependencies of one file, by its kind. */
export function readSourceFile(file: string): Dependency[] {
  const kind = kindOf(file);
  const text = read(file);
  if (kind === 'snapshot') return snapshotDependencies(parseSnapshot(text, file));
  if (kind === 'cpanfile') return parseCpanfile(text, file);
  if (kind === 'meta') return metaDependencies(parseMeta(text, file));
  throw new CpansecError('USAGE', 'not a file cpansec can audit (cpanfile, cpanfile.snapshot, META.json/yml, MYMETA.json/yml)', { file });
}

/** The files to audit in a directory (the most exact one), or the file itself. */
export function discoverSources(target: string): string[] {
  let st;
  try {
    st = statSync(target);
  } catch (e) {
    throw new CpansecError('NOT_FOUND', `cannot read: ${(e as NodeJS.ErrnoException).code ?? 'no such file or directory'}`, { file: target });
  }
  if (st.isFile()) return [target];
  // a FIFO or device would block the audit or stream without end
  if (!st.isDirectory()) throw new CpansecError('USAGE', 'not a regular file or a directory (a FIFO or device?)', { file: target });
  for (const name of PREFERENCE) {
    const candidate = path.join(target, name);
    let c;
    try {
      c = statSync(candidate, { throwIfNoEntry: false });
    } catch {
      continue;
    }
    if (!c) continue;
    if (c.isFile()) return [candidate];
    if (!c.isDirectory()) throw new CpansecError('USAGE', 'not a regular file (a FIFO or device?)', { file: candidate });
  }
  throw new CpansecError('NOT_FOUND', `nothing to audit: no ${PREFERENCE.join(', ')}`, { file: target });
}

/**
 * A Carton snapshot locks the distributions a project installs; the modules it requires that no
 * locked distribution provides come from perl itself (File::Temp, Encode …) and are audited as
 * requirements, from the project's cpanfile beside the snapshot where it names them (its ranges
 * and lines), else from the snapshot's own requirements.
 */
function snapshotWithRequirements(file: string): Sources {
  const snapshot = parseSnapshot(read(file), file);
  const locked = snapshotDependencies(snapshot);
  const unlocked = unlockedRequirements(snapshot);
  const cpanfile = path.join(path.dirname(file), 'cpanfile');
  if (path.basename(file) !== 'cpanfile.snapshot' || !existsSync(cpanfile)) return { inputs: [file], dependencies: [...locked, ...unlocked] };
  const direct = parseCpanfile(read(cpanfile), cpanfile).filter((d) => d.relationship !== 'conflicts');
  // the module perl provides must satisfy every requirement on it: the cpanfile's and the lock's
  const requirements = unlocked.map((u) => {
    const named = direct.filter((d) => d.name === u.name);
    if (named.length === 0) return u;
    const ranges = new Set([...named.map((d) => d.range ?? '0'), ...(u.range ?? '0').split(/\s*,\s*/)].filter((r) => r !== '0' && r !== ''));
    return { ...named[0]!, range: ranges.size ? [...ranges].join(', ') : '0', unlocked: true as const };
  });
  return { inputs: [file, cpanfile], dependencies: [...locked, ...requirements] };
}

export function readSources(target: string): Sources {
  const inputs = discoverSources(target);
  if (inputs.length === 1 && kindOf(inputs[0]!) === 'snapshot') return snapshotWithRequirements(inputs[0]!);
  return { inputs, dependencies: inputs.flatMap(readSourceFile) };
}
