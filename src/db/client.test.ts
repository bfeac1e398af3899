import { describe, expect, it } from 'vitest';
import { openDatabase } from './client.ts';

describe('the embedded database', () => {
  it('opens with a 16 MB buffer cache, not PostgreSQL’s 128 MB (ADR 10), and new WAL files not zero-filled (ADR 4)', async () => {
    const handle = await openDatabase({ dataDir: 'memory://' });
    try {
      const rows = await handle.pglite!.query<{ shared_buffers: string }>('show shared_buffers');
      expect(rows.rows[0]!.shared_buffers).toBe('16MB');
      const wal = await handle.pglite!.query<{ wal_init_zero: string }>('show wal_init_zero');
      expect(wal.rows[0]!.wal_init_zero).toBe('off');
    } finally {
      await handle.close();
    }
  });
});
