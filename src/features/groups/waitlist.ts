import type { Tx } from '#src/db/client.ts';
import type { MeetingEmails } from './meetings-emails.ts';
import type { MeetingRow } from './meetings-repository.ts';
import type { RegistrationRow, RegistrationsRepository } from './registrations-repository.ts';

// Places freed (a cancellation, or staff raising the capacity) go to the waiting list in order,
// oldest `listedAt` first, in the transaction that freed them (the meeting row is locked), and
// each person promoted is emailed.
export async function fillFreedPlaces(
  tx: Tx,
  m: MeetingRow,
  regs: RegistrationsRepository,
  emails: MeetingEmails,
): Promise<RegistrationRow[]> {
  if (m.status === 'cancelled' || m.endsAt < new Date()) return [];
  const promoted: RegistrationRow[] = [];
  let registered = await regs.countRegistered(m.id, tx);
  while (m.capacity === null || registered < m.capacity) {
    const next = await regs.firstWaitlisted(m.id, tx);
    if (!next) break;
    promoted.push(await regs.setStatus(next.id, 'registered', tx));
    registered++;
  }
  const people = await regs.people(
    promoted.map((r) => r.userId),
    tx,
  );
  for (const r of promoted) {
    const person = people.get(r.userId);
    if (person) await emails.send(tx, m, r, person, 'promoted');
  }
  return promoted;
}
