/**
 * How the workspace answers errors: the domain's codes as HTTP statuses (PARSE_ERROR 400,
 * FORBIDDEN 403, NOT_FOUND 404, CONFLICT 409, a refused login 429), one JSON shape for the API,
 * never a stack trace or an internal message (those go to the log).
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Throttled } from '../../disclosure/index.js';
import { CpansecError, isCpansecError } from '../../errors.js';

const STATUS: Record<string, number> = {
  PARSE_ERROR: 400,
  USAGE: 400,
  INVALID_RANGE: 400,
  INVALID_VERSION: 400,
  SCHEMA_ERROR: 400,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_LARGE: 413,
};

/** A client error the workspace raises itself (not from the domain): unauthenticated, rate limited. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Problem {
  status: number;
  code: string;
  message: string;
  /** the input field the message is about, when there is one */
  field?: string;
  headers: Record<string, string>;
}

const FASTIFY_MESSAGES: Record<number, string> = {
  400: 'the request is malformed',
  404: 'no such page',
  405: 'method not allowed',
  406: 'not acceptable',
  413: 'the request body is too large',
  415: 'unsupported content type (send application/json)',
};

/** The problem to show for an error, or undefined for a server fault (answered 500, logged). */
/** Seconds until `at`, at least 1, for Retry-After. */
export function retryAfter(at: Date, now: Date = new Date()): string {
  return String(Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000)));
}

export function problemOf(error: unknown, bodyLimit: number, now?: Date): Problem | undefined {
  if (error instanceof HttpProblem) return { status: error.status, code: error.code, message: error.message, headers: error.headers };
  // too many password checks: 429 for the account or address, 503 for the whole server
  if (error instanceof Throttled) {
    return { status: error.status, code: error.status === 429 ? 'RATE_LIMITED' : 'BUSY', message: error.message, ...(error.file ? { field: error.file } : {}), headers: { 'retry-after': retryAfter(error.retryAt, now) } };
  }
  if (isCpansecError(error)) {
    const status = STATUS[error.code];
    if (!status) return undefined;
    const e = error as CpansecError;
    return { status, code: e.code, message: e.message, ...(e.file ? { field: e.file } : {}), headers: {} };
  }
  const f = error as FastifyError;
  const status = f?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    let message = FASTIFY_MESSAGES[status] ?? 'bad request';
    if (f.code === 'FST_ERR_CTP_BODY_TOO_LARGE') message = `the request body is larger than ${bodyLimit} bytes`;
    else if (f.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || f instanceof SyntaxError || /JSON/.test(f.message ?? '')) message = 'the body is not valid JSON';
    else if (f.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') message = 'the body is empty';
    return { status, code: status === 413 ? 'TOO_LARGE' : status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST', message, headers: {} };
  }
  return undefined;
}

export function sendJsonProblem(reply: FastifyReply, p: Problem): FastifyReply {
  for (const [k, v] of Object.entries(p.headers)) reply.header(k, v);
  return reply
    .code(p.status)
    .type('application/json; charset=utf-8')
    .send(JSON.stringify({ error: { code: p.code, message: p.message, ...(p.field ? { field: p.field } : {}) } }));
}

export function logFault(request: FastifyRequest, error: unknown): void {
  request.log.error({ err: error }, 'workspace request failed');
}

/** Unsafe methods change something: they need the CSRF token (or an API token). */
export function isUnsafe(method: string): boolean {
  return method !== 'GET' && method !== 'HEAD' && method !== 'OPTIONS';
}

/** A body field as one string (forms may repeat a key; JSON may send anything). */
export function one(v: unknown): string | undefined {
  if (Array.isArray(v)) return one(v[0]);
  return typeof v === 'string' ? v : undefined;
}

/** Lines of a textarea, blank ones dropped. */
export function lines(v: unknown): string[] {
  const s = one(v);
  return s === undefined ? [] : s.split(/\r?\n/).map((x) => x.trim()).filter(Boolean);
}

export function bodyOf(request: FastifyRequest): Record<string, unknown> {
  const b = request.body;
  return b && typeof b === 'object' && !Array.isArray(b) ? (b as Record<string, unknown>) : {};
}
