import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { buildTestApp } from '#tests/helpers/app.ts';
import { createStory, onStory } from '#tests/helpers/factories.ts';
import { commentReports, comments } from '#src/features/comments/tables.ts';
import { organisations } from '#src/features/organisations/tables.ts';
import { forgetOldIpAddresses, IP_RETENTION_DAYS } from '#src/platform/jobs/retention.ts';

// Internet addresses are personal data kept only for spam limits and blocking: older ones go.
describe('erasing old internet addresses', async () => {
  const { app, db } = await buildTestApp();
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

  it(`erases addresses older than ${IP_RETENTION_DAYS} days from comments, reports and organisation registrations, and keeps newer ones`, async () => {
    const story = await createStory(db);
    const comment = (ip: string, at: Date) => ({
      ...onStory(story.id),
      authorName: 'Ada',
      authorEmail: 'ada@example.org',
      body: 'Hello',
      ipAddress: ip,
      createdAt: at,
    });
    const [old, recent] = await db
      .insert(comments)
      .values([comment('192.0.2.1', daysAgo(IP_RETENTION_DAYS + 1)), comment('192.0.2.2', daysAgo(1))])
      .returning();
    const [oldReport, recentReport] = await db
      .insert(commentReports)
      .values([
        { commentId: recent!.id, reason: 'spam', ipAddress: '192.0.2.3', createdAt: daysAgo(IP_RETENTION_DAYS + 5) },
        { commentId: recent!.id, reason: 'spam', ipAddress: '192.0.2.4', createdAt: daysAgo(2) },
      ])
      .returning();
    const organisation = (name: string, ip: string, at: Date) => ({
      name,
      kind: 'charity',
      description: 'Helps.',
      area: 'London',
      contactName: 'Jo',
      contactRole: 'Chair',
      contactEmail: 'jo@example.org',
      privacyNoticeVersion: '1',
      ipAddress: ip,
      createdAt: at,
    });
    const [oldOrg, recentOrg] = await db
      .insert(organisations)
      .values([organisation('Old Group', '192.0.2.5', daysAgo(40)), organisation('New Group', '192.0.2.6', daysAgo(3))])
      .returning();

    expect(await forgetOldIpAddresses(app.services)).toBe(3);

    const ipOf = async <T extends { ipAddress: string | null }>(rows: Promise<T[]>) => (await rows)[0]!.ipAddress;
    expect(await ipOf(db.select().from(comments).where(eq(comments.id, old!.id)))).toBeNull();
    expect(await ipOf(db.select().from(comments).where(eq(comments.id, recent!.id)))).toBe('192.0.2.2');
    expect(await ipOf(db.select().from(commentReports).where(eq(commentReports.id, oldReport!.id)))).toBeNull();
    expect(await ipOf(db.select().from(commentReports).where(eq(commentReports.id, recentReport!.id)))).toBe('192.0.2.4');
    expect(await ipOf(db.select().from(organisations).where(eq(organisations.id, oldOrg!.id)))).toBeNull();
    expect(await ipOf(db.select().from(organisations).where(eq(organisations.id, recentOrg!.id)))).toBe('192.0.2.6');
    // The comment itself is untouched, and a second pass finds nothing left to erase.
    expect((await db.select().from(comments).where(eq(comments.id, old!.id)))[0]).toMatchObject({ body: 'Hello', authorName: 'Ada' });
    expect(await forgetOldIpAddresses(app.services)).toBe(0);
  });
});
