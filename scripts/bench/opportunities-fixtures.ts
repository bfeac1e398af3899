import { sql } from 'drizzle-orm';
import type { DbHandle } from '#src/db/client.ts';
import { rowsOf } from '#src/db/rows.ts';
import { loadConfig } from '#src/config.ts';
import { buildApp } from '#src/app.ts';
import { createStaffUser } from '#src/platform/identity/service.ts';
import { regionOptions } from '#src/features/profile/schema.ts';
import { opportunityTypes } from '#src/features/opportunities/tables.ts';

// The opportunities bench's data, set-based (generate_series, a few statements): 1,000
// opportunities of every type, mode, region, pay and closing date, most of them open; one of them
// ("bench-opportunity-1") with three questions and 2,000 applications with answers and two
// reviewers' scores; 2,000 contributors who also applied to a few others (12,000 applications in
// all). The staff member who reviews is a real account made through identity, so the bench signs in.

export const BIG_OPPORTUNITY_SLUG = 'bench-opportunity-1';
export const BENCH_STAFF = { email: 'bench.reviewer@example.org', password: 'bench reviewer correct horse staple' };

const arr = (xs: readonly string[]) => `array[${xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(',')}]`;

const seedSql = (opportunityCount: number, applicants: number) => [
  `insert into lived_experience_terms (category, label)
   select (array['condition','service','caring'])[1 + (g % 3)], 'Term ' || g from generate_series(1, 30) g`,
  // Nine in ten open (closing in 1 to 90 days, so about one in twelve "closing soon"); the rest
  // closed, selected, archived or draft, which the listing never shows. One in five "anywhere".
  `insert into opportunities (slug, type, status, title, summary, time_commitment, mode, region, paid, fee_pence, fee_unit,
     sought_term_ids, places, closes_at, published_at, contact_email)
   select 'bench-opportunity-' || g,
          (${arr(opportunityTypes)})[1 + (g % ${opportunityTypes.length})],
          case when g = 1 or g % 10 <> 0 then 'open' else (array['closed','selection-done','archived','draft'])[1 + ((g / 10) % 4)] end,
          'Opportunity ' || g || ': ' || (array['review a report on','join a group about','help us redesign','tell us about'])[1 + (g % 4)] || ' ' ||
            (array['waiting times','hospital discharge','mental health crisis care','maternity services','carers’ breaks','blood donation'])[1 + (g % 6)],
          'A short summary of what this opportunity involves, who it is for and what we will do with what you tell us.',
          'About ' || (1 + g % 6) || ' hours',
          (array['online','in-person','both'])[1 + (g % 3)],
          case when g % 5 = 0 then null else (${arr(regionOptions)})[1 + (g % ${regionOptions.length})] end,
          g % 4 <> 0,
          case when g % 4 <> 0 then 2500 * (1 + g % 4) end,
          case when g % 4 <> 0 then (array['hour','half-day','day','task'])[1 + (g % 4)] end,
          case when g % 3 = 0 then '[]'::jsonb else jsonb_build_array((select min(id) from lived_experience_terms) + (g % 30)) end,
          1 + g % 10,
          now() + ((1 + (g * 37) % 90) || ' days')::interval,
          now() - ((g % 60) || ' days')::interval,
          'involvement@example.org'
   from generate_series(1, ${opportunityCount}) g`,
  `insert into opportunity_questions (opportunity_id, position, kind, label, options, required)
   select o.id, q.position, q.kind, q.label, q.options::jsonb, true
   from opportunities o, (values
     (0, 'long-text', 'Tell us about your experience', '[]'),
     (1, 'single-choice', 'How would you like to take part?', '["Online","In person","By phone"]'),
     (2, 'yes-no', 'Can you come to most of the meetings?', '[]')) as q(position, kind, label, options)
   where o.slug = '${BIG_OPPORTUNITY_SLUG}'`,
  `insert into "user" (id, name, email, email_verified, role, created_at, updated_at)
   select 'benchapp' || g, 'Applicant ' || g, 'applicant' || g || '@bench.example', true, 'contributor', now(), now()
   from generate_series(1, ${applicants}) g
   union all select 'bench-second-reviewer', 'Second Reviewer', 'second.reviewer@bench.example', true, 'involvement', now(), now()`,
  // The big opportunity: one in twenty withdrawn, one in fifty still a draft (staff never see
  // those), decisions spread over every state, a third of the decided already told.
  `insert into applications (opportunity_id, user_id, state, selection, access_needs, access_needs_notes, contact_methods,
     anything_else, outcome_sent_at, submitted_at, withdrawn_at, created_at, updated_at)
   select o.id, 'benchapp' || g,
          case when g % 50 = 1 then 'draft' when g % 20 = 0 then 'withdrawn' else 'submitted' end,
          case when g % 50 = 1 then 'new' else (array['new','longlisted','shortlisted','selected','waitlisted','not-selected'])[1 + (g % 6)] end,
          case when g % 3 = 0 then '["step-free","breaks"]'::jsonb else '[]'::jsonb end,
          case when g % 7 = 0 then 'Papers a week early, in large print, please.' end,
          '["email"]'::jsonb,
          case when g % 4 = 0 then 'I can only come in the mornings because of my treatment.' end,
          case when g % 6 >= 3 and g % 3 = 0 then now() - interval '1 day' end,
          case when g % 50 <> 1 then now() - ((${applicants} - g) || ' minutes')::interval end,
          case when g % 20 = 0 then now() - interval '2 hours' end,
          now() - ((${applicants} - g) || ' minutes')::interval, now()
   from generate_series(1, ${applicants}) g, opportunities o where o.slug = '${BIG_OPPORTUNITY_SLUG}'`,
  // Each applicant also applied to five others.
  `insert into applications (opportunity_id, user_id, state, submitted_at)
   select o.id, 'benchapp' || g, 'submitted', now() - (k || ' hours')::interval
   from generate_series(1, ${applicants}) g cross join generate_series(1, 5) k
   join opportunities o on o.slug = 'bench-opportunity-' || (2 + (g * k * 7) % ${opportunityCount - 1})
   on conflict do nothing`,
  `insert into application_answers (application_id, question_id, value)
   select a.id, q.id,
          case q.kind
            when 'long-text' then to_jsonb('I have lived with a long-term condition for ' || (a.id % 30) || ' years and have used hospital, GP and community services. ' ||
              'I would like to help because the letters I get are hard to follow, and I know many people in my area feel the same.')
            when 'single-choice' then to_jsonb((array['Online','In person','By phone'])[1 + a.id % 3])
            else to_jsonb(case when a.id % 4 = 0 then 'no' else 'yes' end) end
   from applications a join opportunities o on o.id = a.opportunity_id and o.slug = '${BIG_OPPORTUNITY_SLUG}'
   join opportunity_questions q on q.opportunity_id = o.id`,
  `insert into application_reviews (application_id, reviewer_id, score, notes)
   select a.id, r.id, 1 + (a.id % 5), case when a.id % 3 = 0 then 'Clear about what they would bring; check travel costs.' end
   from applications a join opportunities o on o.id = a.opportunity_id and o.slug = '${BIG_OPPORTUNITY_SLUG}'
   join "user" r on (r.email = '${BENCH_STAFF.email}' and a.id % 2 = 0) or (r.id = 'bench-second-reviewer' and a.id % 3 = 0)
   where a.state <> 'draft'`,
  'vacuum analyze',
];

// Migrated database in, seeded database out (seconds taken). The staff account is made first,
// through identity, by the app built in this process (no jobs, no listening socket).
export async function seedOpportunities(
  database: DbHandle,
  o: { opportunities: number; applicants: number },
): Promise<{ seconds: number; bigId: number }> {
  const began = performance.now();
  const app = await buildApp({
    config: loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'false', LOG_LEVEL: 'silent' }),
    database,
    startJobs: false,
  });
  try {
    const made = await createStaffUser(app.auth, {
      ...BENCH_STAFF,
      name: 'Bench Reviewer',
      role: 'involvement',
      jobTitle: 'Involvement lead',
    });
    if (!made.ok) throw new Error(`could not make the bench's staff account: ${made.error}`);
  } finally {
    await app.close();
  }
  for (const statement of seedSql(o.opportunities, o.applicants)) await database.db.execute(sql.raw(statement));
  const [big] = rowsOf<{ id: number }>(await database.db.execute(sql`select id from opportunities where slug = ${BIG_OPPORTUNITY_SLUG}`));
  return { seconds: (performance.now() - began) / 1000, bigId: Number(big!.id) };
}
