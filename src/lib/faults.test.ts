import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { classifyFault } from './faults.ts';

// Real error shapes: what pg throws when nothing listens, what the operating system throws on a
// full device (/dev/full), and PostgreSQL's own errors as pg builds them, wrapped by Drizzle.
const thrown = async (fn: () => unknown) => {
  try {
    await fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
};
const serverError = (code: string, message: string) => Object.assign(new pg.DatabaseError(message, 0, 'error'), { code });
const wrapped = (cause: Error) => new DrizzleQueryError('insert into "comments" …', [], cause);

describe('classifyFault', () => {
  it('calls a database nobody answers "unavailable"', async () => {
    const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:9/none', connectionTimeoutMillis: 2000 });
    const refused = await thrown(() => client.connect());
    expect(classifyFault(refused)).toBe('DATABASE_UNAVAILABLE');
    expect(classifyFault(wrapped(refused as Error))).toBe('DATABASE_UNAVAILABLE');
    expect(classifyFault(new Error('Connection terminated unexpectedly'))).toBe('DATABASE_UNAVAILABLE');
    expect(classifyFault(new Error('timeout exceeded when trying to connect'))).toBe('DATABASE_UNAVAILABLE');
    expect(classifyFault(wrapped(serverError('57P03', 'the database system is starting up')))).toBe('DATABASE_UNAVAILABLE');
    expect(classifyFault(wrapped(serverError('57P01', 'terminating connection due to administrator command')))).toBe(
      'DATABASE_UNAVAILABLE',
    );
    expect(classifyFault(serverError('55000', 'database "coproduce" is not currently accepting connections'))).toBe('DATABASE_UNAVAILABLE');
    expect(classifyFault(serverError('53300', 'sorry, too many clients already'))).toBe('DATABASE_UNAVAILABLE');
  });

  it('calls a full disk "storage full"', async () => {
    const full = await thrown(() => writeFileSync('/dev/full', 'x'));
    expect((full as { code: string }).code).toBe('ENOSPC');
    expect(classifyFault(full)).toBe('STORAGE_FULL');
    expect(classifyFault(wrapped(serverError('53100', 'could not extend file "base/5/16384": No space left on device')))).toBe(
      'STORAGE_FULL',
    );
    expect(classifyFault(wrapped(new Error('could not extend file "base/1/2619": No space left on device')))).toBe('STORAGE_FULL');
  });

  it('leaves every other fault alone (a bug stays a 500)', () => {
    expect(classifyFault(wrapped(serverError('23505', 'duplicate key value violates unique constraint')))).toBeNull();
    expect(classifyFault(wrapped(serverError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')))).toBeNull();
    expect(classifyFault(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
    expect(classifyFault(null)).toBeNull();
  });
});
