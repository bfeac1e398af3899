import type { SQL } from 'drizzle-orm';
import type { Db, Tx } from './client.ts';

// A raw statement run as a named prepared statement: on PostgreSQL each connection parses and plans
// it once and then only binds and executes it (PostgreSQL's plan cache), where `db.execute` sends
// it unnamed, parsed and planned afresh every time. For the hottest writes only: the comment
// submission's one statement spent 0.3–0.45 ms planning against 0.2–0.3 ms executing (EXPLAIN
// ANALYZE on a 2-core host, steady state). The name must always go with the same SQL text; a
// statement whose text varies needs one name per variant. PGlite runs it as `db.execute` would.
// Drizzle has no public way to name a raw statement, so this reaches its session (ADR 10, "Later:
// the comment submission is a named statement").
type Internals = {
  session: { prepareQuery(query: unknown, fields: undefined, name: string, arrayMode: boolean): { execute(): Promise<unknown> } };
  dialect: { sqlToQuery(query: SQL): unknown };
};

export function executeNamed(db: Db | Tx, name: string, query: SQL): Promise<unknown> {
  const { session, dialect } = db as unknown as Internals;
  return session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false).execute();
}
