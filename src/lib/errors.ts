// Faults (not a person's mistakes) carry a stable code that logs and support can search for.
// A person's mistakes are results the route re-renders with the error summary, never exceptions.
export type AppErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'UNAUTHENTICATED'
  | 'CSRF_INVALID'
  | 'RATE_LIMITED'
  | 'BAD_REQUEST'
  | 'TOO_LARGE'
  | 'URI_TOO_LONG'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'HEADERS_TOO_LARGE'
  | 'DATABASE_UNAVAILABLE'
  | 'STORAGE_FULL'
  | 'SHUTTING_DOWN'
  | 'INTERNAL';

const statusFor: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CSRF_INVALID: 403,
  RATE_LIMITED: 429,
  BAD_REQUEST: 400,
  TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  DATABASE_UNAVAILABLE: 503,
  STORAGE_FULL: 503,
  SHUTTING_DOWN: 503,
  INTERNAL: 500,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly statusCode: number;
  constructor(code: AppErrorCode, message?: string, options?: { cause?: unknown }) {
    super(message ?? code, options);
    this.code = code;
    this.statusCode = statusFor[code];
  }
}

export const notFound = (what = 'page') => new AppError('NOT_FOUND', `No such ${what}`);

// The stable code shown for a status when the fault is not one of ours (a framework or driver
// error): their own codes (FST_…, SQLSTATE) go to the log, never into a page or a JSON answer.
export function codeForStatus(status: number): AppErrorCode {
  const known = (Object.keys(statusFor) as AppErrorCode[]).find((code) => statusFor[code] === status && code !== 'UNAUTHENTICATED');
  return status >= 500 ? 'INTERNAL' : (known ?? 'BAD_REQUEST');
}
