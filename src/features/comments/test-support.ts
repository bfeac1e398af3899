import { count } from 'drizzle-orm';
import { Browser, type TestApp } from '#tests/helpers/app.ts';
import { onStory, storyComments, type StoryRow } from '#tests/helpers/factories.ts';
import { comments } from './tables.ts';

// What the comment route tests share: valid form values, a sender that posts like a browser from
// its own internet address, and quick ways to add and count comments.
// Each test file speaks from its own `net` (say '10.2'), so per-address limits never collide.
export function commentTestKit(app: TestApp['app'], services: TestApp['services'], db: TestApp['db'], net: string) {
  let seq = 0;
  const nextIp = () => `${net}.${Math.floor(seq / 250)}.${(seq++ % 250) + 1}`;
  const oldStamp = () => services.comments.issueFormStamp(Date.now() - 10_000);
  const valid = () => ({
    name: 'Jo Bloggs',
    jobTitle: 'Carer',
    organisation: '',
    email: `jo.${seq++}@example.org`,
    comment: 'I agree with this.',
  });
  const rowsFor = async (storyId: number) => Number((await db.select({ n: count() }).from(comments).where(storyComments(storyId)))[0]!.n);
  const setModeration = async (moderation: 'all' | 'first-time' | 'none') =>
    services.settings.update({ ...(await services.settings.get()), moderation });

  async function send(story: StoryRow, fields: Record<string, string>, opts: { ip?: string; page?: string; browser?: Browser } = {}) {
    const browser = opts.browser ?? new Browser(app);
    return browser.submit(
      opts.page ?? `/stories/${story.slug}/comments/new`,
      `/stories/${story.slug}/comments`,
      { stamp: oldStamp(), ...valid(), ...fields },
      { 'x-forwarded-for': opts.ip ?? nextIp() },
    );
  }

  async function addComment(storyId: number, values: Partial<typeof comments.$inferInsert> = {}) {
    const [row] = await db
      .insert(comments)
      .values({
        ...onStory(storyId),
        authorName: 'Ada Lovelace',
        authorEmail: 'ada.secret@example.org',
        body: 'First!',
        status: 'approved',
        ...values,
      })
      .returning();
    return row!;
  }

  return { nextIp, oldStamp, valid, rowsFor, setModeration, send, addComment };
}
