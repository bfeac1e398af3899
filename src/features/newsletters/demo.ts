import type { Db, Tx } from '#src/db/client.ts';
import { newsletters } from './tables.ts';

// One newsletter already sent, so a newcomer sees the archive (/newsletters) and a newsletter's web
// page. It was "sent" before anyone subscribed: it has no recipients.
export async function seedDemoNewsletter(db: Db | Tx, now = new Date()) {
  await db
    .insert(newsletters)
    .values({
      slug: 'what-we-heard-this-autumn',
      subject: 'What we heard from you this autumn',
      body: [
        'Thank you to everyone who came to our listening events in October.',
        '',
        '## What you told us',
        '',
        '* Appointments are hard to change by phone.',
        '* Letters arrive after the appointment they are about.',
        '* Carers are not asked what help they need.',
        '',
        'Over the winter we will work on each of these with a group of people who know them first hand. Read about the [co-design group](/stories) and tell us if you would like to join.',
      ].join('\n'),
      translations: {
        cy: {
          subject: 'Beth glywson ni gennych chi yr hydref hwn',
          body: [
            "Diolch i bawb a ddaeth i'n digwyddiadau gwrando ym mis Hydref.",
            '',
            '## Beth ddywedoch chi wrthym',
            '',
            "* Mae'n anodd newid apwyntiadau dros y ffôn.",
            "* Mae llythyrau'n cyrraedd ar ôl yr apwyntiad y maen nhw'n sôn amdano.",
            '* Nid yw gofalwyr yn cael eu holi pa help sydd ei angen arnyn nhw.',
            '',
            "Dros y gaeaf byddwn yn gweithio ar bob un o'r rhain gyda grŵp o bobl sy'n eu hadnabod o brofiad. Darllenwch am y [grŵp cyd-ddylunio](/stories) a dywedwch wrthym os hoffech ymuno.",
          ].join('\n'),
        },
      },
      status: 'sent',
      recipientCount: 0,
      sendStartedAt: new Date(now.getTime() - 14 * 86_400_000),
      completedAt: new Date(now.getTime() - 14 * 86_400_000),
    })
    .onConflictDoNothing({ target: newsletters.slug });
}
