import { sleep } from './options.ts';

// Recipient rows change state the moment the SMTP server answers: each acceptance is written at
// once on one of a few connections, and acceptances that arrive while all of those are busy go
// together in the next statement. A message keeps its place among those in flight until its row
// says sent, so however slow the database gets, a crash can only find that many messages
// accepted but unrecorded (the ones it will send again).
export function createMarks(markSent: (recipientIds: number[]) => Promise<void>, lanes = 3) {
  let waiting: { id: number; done: () => void }[] = [];
  const active = new Set<Promise<void>>();
  let failure: Error | null = null;
  async function write(batch: { id: number; done: () => void }[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        await markSent(batch.map((b) => b.id));
        break;
      } catch (err) {
        if (attempt >= 5) {
          failure = err instanceof Error ? err : new Error('could not record sent newsletter messages');
          break;
        }
        await sleep(200 * attempt);
      }
    }
    for (const b of batch) b.done();
  }
  async function lane() {
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      await write(batch);
    }
  }
  return {
    sent(id: number): Promise<void> {
      const recorded = new Promise<void>((done) => waiting.push({ id, done }));
      if (active.size < lanes) {
        const p: Promise<void> = lane().finally(() => active.delete(p));
        active.add(p);
      }
      return recorded;
    },
    get failed() {
      return failure !== null;
    },
    async flush() {
      while (active.size) await Promise.all(active);
      if (failure) throw failure;
    },
  };
}
export type Marks = ReturnType<typeof createMarks>;
