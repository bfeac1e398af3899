import type { DbHandle } from '#src/db/client.ts';

// Session-level advisory lock key space for "this newsletter is being sent by some process".
const LOCK_SPACE = 0x4e4c;
// Newsletters being sent from this process, per database: two app instances in one process
// (tests, tools) must not send the same newsletter side by side either.
const claimedByDatabase = new WeakMap<DbHandle, Set<number>>();

export type Release = () => Promise<void>;

// Only one process may send a given newsletter. On PostgreSQL a session-level advisory lock on
// a dedicated connection says so, and is released by the server the instant that process
// dies (kill -9 included); PGlite is one process, so the in-process claim is enough there.
// Returns how to let go, or null when someone else is sending it.
export function createSendClaims(database: DbHandle) {
  let claimed = claimedByDatabase.get(database);
  if (!claimed) claimedByDatabase.set(database, (claimed = new Set()));
  const local = claimed;

  return async function claim(id: number): Promise<Release | null> {
    if (local.has(id)) return null;
    local.add(id);
    const unclaim = () => local.delete(id);
    if (!database.pool) return async () => void unclaim();
    let client;
    try {
      client = await database.pool.connect();
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1, $2) as ok', [LOCK_SPACE, id]);
      if (!rows[0]?.ok) {
        client.release();
        unclaim();
        return null;
      }
    } catch (err) {
      client?.release(true);
      unclaim();
      throw err;
    }
    const held = client;
    return async () => {
      try {
        await held.query('select pg_advisory_unlock($1, $2)', [LOCK_SPACE, id]);
        held.release();
      } catch {
        held.release(true);
      } finally {
        unclaim();
      }
    };
  };
}
