import type { Db, Tx } from '#src/db/client.ts';
import type { Services } from '#src/platform/services.ts';
import { createApplicationsRepository, type AnswerValue } from './applications-repository.ts';
import { createSelectionRepository, type SelectionState } from './selection-repository.ts';
import type { SeededOpportunity } from './demo.ts';

// Applications from the demo contributors (profile's demo, example.org addresses), so a newcomer
// sees each open opportunity's applications and a finished selection. All invented; nobody is real.

type DemoApplication = {
  // The contributor's address: the account is found through identity, never by another feature's table.
  email: string;
  // Answers by the question's label (the demo opportunity's own questions).
  answers?: Record<string, AnswerValue>;
  // Added to the copy of the profile's access needs, as an applicant edits the pre-filled form.
  accessNeedsNotes?: string;
  anythingElse?: string;
  language?: 'en' | 'cy';
  // Days before the seed; a draft has never been sent.
  sentDaysAgo: number | 'draft';
  // The finished selection: the decision, the reviewer's score and notes, and kind feedback.
  selection?: SelectionState;
  score?: number;
  notes?: string;
  feedback?: string;
};

const REVIEWER_EMAIL = 'grace.adeyemi@example.org';
const WAITING = 'Tell us briefly about your experience of waiting for an operation';
const RECEIVE = 'How would you like to receive the draft?';
const WHY = 'Why would you like to join the group?';
const MOST = 'Can you come to most of the six meetings?';

const demoApplications: Record<string, DemoApplication[]> = {
  'review-our-report-on-waiting-for-planned-surgery': [
    {
      email: 'tom.pritchard@example.org',
      sentDaysAgo: 2,
      answers: {
        [WAITING]:
          'My dad waited fourteen months for a new hip. He has dementia, so every letter that changed the date meant explaining it all again, and he was in pain the whole time.',
        [RECEIVE]: 'By email',
      },
      anythingElse: 'I work full time, so evenings suit me best if you want to talk it through.',
    },
    {
      email: 'dafydd.jones@example.org',
      sentDaysAgo: 2,
      language: 'cy',
      answers: {
        [WAITING]:
          'Bues i’n aros bron i flwyddyn am lawdriniaeth ar fy mhen-glin. Y peth anoddaf oedd peidio â gwybod pryd y byddai’n digwydd, a neb yn ateb y ffôn. Hoffwn weld a yw’r adroddiad yn dweud hynny’n glir.',
        [RECEIVE]: 'Printed, by post',
      },
    },
    {
      email: 'eileen.doherty@example.org',
      sentDaysAgo: 1,
      answers: {
        [WAITING]:
          'I cared for my husband while he waited for a knee replacement during the pandemic. We were told nothing for months, then given four days’ notice.',
        [RECEIVE]: 'Large print, by post',
      },
      accessNeedsNotes: 'Fatigue means mornings are best. Two weeks is fine if the print is large.',
    },
  ],
  'join-the-lived-experience-group-for-the-blood-donation-commission': [
    {
      email: 'kwame.mensah@example.org',
      sentDaysAgo: 1,
      answers: {
        [WHY]:
          'I give blood every four months and I talk about it at my church. Many people I know have never been asked, or think they will not be allowed. I want the commission to hear why.',
        [MOST]: 'yes',
      },
    },
    {
      email: 'margaret.okafor@example.org',
      sentDaysAgo: 1,
      answers: {
        [WHY]:
          'I have sickle cell and I have needed transfusions since I was a child. The best-matched blood often comes from donors of the same background, and there are not enough of them.',
        [MOST]: 'yes',
      },
      anythingElse: 'I would come in person. I may need to leave early if I am unwell.',
    },
    {
      email: 'oliver.tan@example.org',
      sentDaysAgo: 0,
      answers: {
        [WHY]: 'Most students I know have never thought about giving blood. I would like to help the group reach young adults.',
        [MOST]: 'no',
      },
      anythingElse: 'I have placements in March and April, so I could miss two meetings. I can read the papers and send comments.',
    },
    { email: 'priya.raman@example.org', sentDaysAgo: 'draft', answers: { [MOST]: 'yes' } },
  ],
  'help-us-rewrite-our-house-style-guide': [
    {
      email: 'sam.whitlock@example.org',
      sentDaysAgo: 4,
      anythingElse:
        'Letters from the crisis team used words like “non-compliant” about me. I would like to help change words like that. An easy read copy of the draft would help me.',
    },
    {
      email: 'harriet.bellamy@example.org',
      sentDaysAgo: 3,
      anythingElse: 'My son would like to see an easy read version of the guide too. I can bring his views as well as my own.',
    },
  ],
  'speak-at-our-annual-involvement-conference': [
    {
      email: 'margaret.okafor@example.org',
      sentDaysAgo: 50,
      anythingElse: 'I would like to talk about being a patient and a co-chair at the same time.',
      selection: 'selected',
      score: 5,
      notes: 'A clear, moving story about changing how the emergency department treats sickle cell crises. Strong opener.',
    },
    {
      email: 'harriet.bellamy@example.org',
      sentDaysAgo: 45,
      anythingElse: 'I would bring my son, who would like to say a few words too.',
      selection: 'selected',
      score: 4,
      notes: 'Social care from a parent’s view; nobody else offered this. Check a support worker can come.',
    },
    {
      email: 'priya.raman@example.org',
      sentDaysAgo: 40,
      selection: 'selected',
      score: 4,
      notes: 'Runs a peer support group in Birmingham; local to the venue and happy on a panel.',
    },
    {
      email: 'kwame.mensah@example.org',
      sentDaysAgo: 35,
      selection: 'waitlisted',
      score: 3,
      notes: 'Good on blood donation. Offer first if a place comes free.',
    },
    {
      email: 'tom.pritchard@example.org',
      sentDaysAgo: 38,
      selection: 'not-selected',
      score: 3,
      notes: 'A strong carer’s story, but he can only do evenings and the day is a weekday.',
      feedback:
        'Thank you for offering to speak. Your story of caring for your dad would have been valuable. The conference is on a weekday, and you told us evenings suit you best. We will ask you first when we plan an evening event.',
    },
    {
      email: 'grace.achterberg@example.org',
      sentDaysAgo: 33,
      selection: 'not-selected',
      score: 2,
      notes: 'Good idea about how results are given; better suited to the results leaflet review.',
      feedback:
        'Thank you for applying. We had many strong offers for three places. Your idea about how results are given to patients fits a review we are planning of our results leaflets, and we would like to invite you to that.',
    },
  ],
};

const day = 86_400_000;

// Through the applications and selection repositories, in the seed's transaction. A person who
// already applied to an opportunity is skipped, so seeding twice adds nothing. Outcomes are marked
// sent without sending (nobody at example.org would read them).
export async function seedDemoApplications(
  db: Db | Tx,
  services: Pick<Services, 'identity' | 'profile'>,
  seeded: Map<string, SeededOpportunity>,
  now = new Date(),
) {
  // A transaction of its own (a savepoint inside the seed's), as the repository's writes ask for one.
  await db.transaction(async (tx) => {
    const applying = createApplicationsRepository(tx);
    const selecting = createSelectionRepository(tx);
    const reviewer = await services.identity.findAccountByEmail(REVIEWER_EMAIL, tx);
    for (const [slug, list] of Object.entries(demoApplications)) {
      const opportunity = seeded.get(slug);
      if (!opportunity) continue;
      const questionId = new Map(opportunity.questions.map((q) => [q.label, q.id]));
      for (const a of list) {
        const account = await services.identity.findAccountByEmail(a.email, tx);
        if (!account || (await applying.of(opportunity.id, account.id, tx))) continue;
        const profile = await services.profile.profile(account.id, tx);
        const at = a.sentDaysAgo === 'draft' ? new Date(now.getTime() - day) : new Date(now.getTime() - a.sentDaysAgo * day);
        const answers = new Map(Object.entries(a.answers ?? {}).map(([label, value]) => [questionId.get(label)!, value]));
        const saved = await applying.save(
          null,
          { opportunityId: opportunity.id, userId: account.id },
          {
            accessNeeds: profile?.accessNeeds ?? [],
            accessNeedsNotes: a.accessNeedsNotes ?? profile?.accessNeedsNotes ?? null,
            contactMethods: profile?.contactMethods ?? [],
            formats: profile?.formats ?? [],
            anythingElse: a.anythingElse ?? null,
            language: a.language ?? 'en',
            ...(a.sentDaysAgo === 'draft' ? {} : { state: 'submitted' as const, submittedAt: at }),
            selection: a.selection ?? 'new',
            feedback: a.feedback ?? null,
            createdAt: at,
            updatedAt: at,
          },
          answers,
          tx,
        );
        if (reviewer && a.score !== undefined)
          await selecting.saveReview({ applicationId: saved.id, reviewerId: reviewer.id, score: a.score, notes: a.notes ?? null }, tx);
        if (a.selection) await selecting.markTold([saved.id], new Date(now.getTime() - 14 * day), tx);
      }
    }
  });
}
