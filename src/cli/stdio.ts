/**
 * Standard output and error of a command, made only when used.
 *
 * Node makes `process.stdout` on first access, and with it its whole stream library (some twenty
 * modules compiled at run time: measured, 3% of an audit whose report goes to a file). A report
 * written before anything else used stdout goes straight to file descriptor 1; a stream is made
 * when a write would block, or when something else asks for process.stdout.
 */
import { fstatSync, statSync, writeSync } from 'node:fs';

/** Exit status of a writer whose reader went away (128 + SIGPIPE), as shell tools end under `| head`. */
export const EXIT_PIPE_CLOSED = 141;

/** the streams node has made (on first access) */
const made = new Set<'stdout' | 'stderr'>();
let guarded = false;

/** Quietly end with 141 when the reader of stdout or stderr has gone (EPIPE), in every command. */
function guard(stream: NodeJS.WriteStream): void {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED') process.exit(EXIT_PIPE_CLOSED);
    process.exitCode = 2;
  });
}

/**
 * From now on, process.stdout and process.stderr are guarded when first made (node's lazy getters
 * are wrapped; where they cannot be, the streams are made and guarded now).
 */
export function guardStdio(): void {
  if (guarded) return;
  guarded = true;
  for (const name of ['stdout', 'stderr'] as const) {
    const d = Object.getOwnPropertyDescriptor(process, name);
    if (!d?.get || !d.configurable) {
      made.add(name);
      guard(process[name]);
      continue;
    }
    const make = d.get;
    Object.defineProperty(process, name, {
      configurable: true,
      enumerable: d.enumerable ?? true,
      get() {
        const stream = make.call(process) as NodeJS.WriteStream;
        Object.defineProperty(process, name, { configurable: true, enumerable: d.enumerable ?? true, get: () => stream });
        made.add(name);
        guard(stream);
        return stream;
      },
    });
  }
}

/** Nothing is waiting to be written to stdout or stderr: the process may exit at once. */
export function stdioFlushed(): boolean {
  // only the streams made: asking of the other would make it
  return [...made].every((name) => !process[name].writableLength);
}

/**
 * Write to stdout: straight to the descriptor while no stream exists (nothing can be queued ahead;
 * known only once guardStdio watches for it), except on Windows, whose console needs node's conversion.
 */
export function writeStdout(data: string | Buffer): void {
  if (guarded && !made.has('stdout') && process.platform !== 'win32') {
    let bytes = typeof data === 'string' ? Buffer.from(data) : data;
    try {
      while (bytes.length) bytes = bytes.subarray(writeSync(1, bytes));
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') process.exit(EXIT_PIPE_CLOSED);
      // a non-blocking descriptor that is full (EAGAIN), or another failure: the stream takes the
      // rest and reports a failure as it always did
      data = bytes;
    }
  }
  process.stdout.write(data);
}

/** Is stdout a terminal? Asked without making the stream when it is a file, a pipe or /dev/null. */
export function stdoutIsTerminal(): boolean {
  if (guarded && !made.has('stdout')) {
    try {
      const out = fstatSync(1);
      if (!out.isCharacterDevice()) return false;
      const devNull = statSync('/dev/null', { throwIfNoEntry: false });
      if (devNull?.isCharacterDevice() && devNull.rdev === out.rdev) return false;
    } catch {
      return false;
    }
  }
  return Boolean(process.stdout.isTTY);
}
