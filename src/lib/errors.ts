// Faults (not a person's mistakes) carry a stable code that logs and support can search for.
// A person's mistakes are results the route re-renders with the error summary, never exceptions.
export type AppErrorCode =
  'NOT_FOUND' | 'FORBIDDEN' | 'UNAUTHENTICATED' | 'CSRF_INVALID' | 'RATE_LIMITED' | 'BAD_REQUEST' | 'DATABASE_UNAVAILABLE' | 'INTERNAL';

const statusFor: Record<AppErrorCode, number> = {
  NOT_FOUND: 404,
  FORBIDDEN: 403,
  UNAUTHENTICATED: 401,
  CSRF_INVALID: 403,
  RATE_LIMITED: 429,
  BAD_REQUEST: 400,
  DATABASE_UNAVAILABLE: 503,
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
