import type { AppErrorCode } from './errors.ts';

// Which faults mean "the database cannot take this right now" rather than "a bug": the person is
// told the service is unavailable (503, try again shortly), not that something broke (500).
// Drivers wrap what the server said (Drizzle's DrizzleQueryError keeps it as `cause`), so the
// whole chain is read.
type Fault = { code?: unknown; errno?: unknown; message?: unknown; cause?: unknown };

// PostgreSQL SQLSTATE class 08 (connection exception), 57P01–57P03 (shutting down, crashed,
// starting up) and 53300 (too many connections): the server is not there for us.
const unreachableStates = /^(08...|57P0[123]|53300)$/;
const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);
const unreachableMessages =
  /Connection terminated|timeout exceeded when trying to connect|the database system is (starting up|shutting down|in recovery mode)|Client has encountered a connection error|Connection refused|PGlite is closed|terminating connection due to administrator command|is not currently accepting connections/i;
// SQLSTATE class 53 (insufficient resources: 53100 disk full, 53200 out of memory, 53400
// configuration limit) and the operating system's "no space left" (PGlite writes the files itself).
const storageStates = /^53(000|100|200|400)$/;
const storageMessages = /No space left on device|could not extend file|disk full/i;

export function classifyFault(error: unknown): Extract<AppErrorCode, 'DATABASE_UNAVAILABLE' | 'STORAGE_FULL'> | null {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const { code, message, cause } = current as Fault;
    const text = typeof message === 'string' ? message : '';
    if (code === 'ENOSPC' || (typeof code === 'string' && storageStates.test(code)) || storageMessages.test(text)) return 'STORAGE_FULL';
    if (typeof code === 'string' && (unreachableCodes.has(code) || unreachableStates.test(code))) return 'DATABASE_UNAVAILABLE';
    if (unreachableMessages.test(text)) return 'DATABASE_UNAVAILABLE';
    // AggregateError (several addresses refused at once) keeps its reasons in `errors`.
    const many = (current as { errors?: unknown[] }).errors;
    if (Array.isArray(many) && many.some((e) => classifyFault(e))) return classifyFault(many.find((e) => classifyFault(e)));
    current = cause;
  }
  return null;
}

// An open connection that the server ended (an administrator, a restart, a failover) rather than a
// server that refuses to connect: a fresh connection may well work.
const lostMessages = /Connection terminated|terminating connection due to administrator command/i;
export function lostConnection(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth++) {
    const { code, message, cause } = current as Fault;
    if (code === '57P01' || code === 'ECONNRESET' || code === 'EPIPE') return true;
    if (typeof message === 'string' && lostMessages.test(message)) return true;
    current = cause;
  }
  return false;
}
