/**
 * The few typed errors of cpansec. Each has a stable `code`; its message names the input and the
 * place (file:line when there is one), so the CLI can print it as one line and exit 2.
 */

export type ErrorCode =
  | 'INVALID_VERSION'
  | 'INVALID_RANGE'
  | 'PARSE_ERROR'
  | 'NOT_FOUND'
  | 'UNKNOWN_DISTRIBUTION'
  | 'IO_ERROR'
  | 'USAGE'
  | 'SCHEMA_ERROR'
  | 'UNSAFE_ARCHIVE'
  | 'CONFLICT'
  | 'FORBIDDEN'
  | 'INTEGRITY_ERROR'
  /** an input over its size limit (an attachment) */
  | 'TOO_LARGE';

export class CpansecError extends Error {
  readonly code: ErrorCode;
  /** file (or other input name) and 1-based line, when known */
  readonly file?: string;
  readonly line?: number;

  constructor(code: ErrorCode, message: string, where?: { file?: string; line?: number; cause?: unknown }) {
    super(where?.file ? `${where.file}${where.line ? `:${where.line}` : ''}: ${message}` : message, {
      cause: where?.cause,
    });
    this.name = 'CpansecError';
    this.code = code;
    this.file = where?.file;
    this.line = where?.line;
  }
}

export function isCpansecError(e: unknown): e is CpansecError {
  return e instanceof CpansecError;
}
