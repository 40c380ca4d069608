/**
 * Errors of the JSON API in the shape osv.dev answers with, `{"code": <gRPC status code>,
 * "message": "…"}`, and a 4xx/5xx HTTP status as Google's gRPC-JSON transcoding maps them. The
 * site answers HTML. No stack trace or internal detail ever reaches a client; the log has it.
 */
export const GRPC = {
  INVALID_ARGUMENT: 3,
  NOT_FOUND: 5,
  RESOURCE_EXHAUSTED: 8,
  INTERNAL: 13,
  UNAVAILABLE: 14,
} as const;

const HTTP_STATUS: Record<number, number> = { 3: 400, 5: 404, 8: 429, 13: 500, 14: 503 };

export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: number,
    message: string,
    status?: number,
  ) {
    super(message);
    this.status = status ?? HTTP_STATUS[code] ?? 500;
  }
}

export const invalidArgument = (message: string) => new ApiError(GRPC.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new ApiError(GRPC.NOT_FOUND, message);

export function errorBody(code: number, message: string): string {
  return JSON.stringify({ code, message });
}

/** Paths answered in JSON rather than HTML. */
export function isApiPath(url: string): boolean {
  return url.startsWith('/v1/') || url === '/v1' || url.startsWith('/v1experimental') || url.startsWith('/healthz') || url.startsWith('/openapi.json');
}
