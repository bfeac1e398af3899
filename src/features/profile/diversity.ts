import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Tx } from '#src/db/client.ts';
import type { FieldErrors } from '#src/lib/forms.ts';
import type { Translator } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { diversityMonitoring } from './tables.ts';

// Smallest group ever reported: anything smaller could point to one person.
export const MIN_GROUP = 5;
const PREFER_NOT = { value: 'prefer-not-to-say', text: 'Prefer not to say' };

// Categories follow the 2021 census for England and Wales at their highest level, kept short.
export const diversityQuestions = [
  {
    key: 'ageBand',
    legend: 'What is your age?',
    options: ['16 to 24', '25 to 34', '35 to 44', '45 to 54', '55 to 64', '65 to 74', '75 or over'],
  },
  { key: 'sex', legend: 'What is your sex?', options: ['Female', 'Male'] },
  { key: 'genderSameAsSex', legend: 'Is the gender you identify with the same as your sex registered at birth?', options: ['Yes', 'No'] },
  {
    key: 'ethnicity',
    legend: 'What is your ethnic group?',
    options: [
      'Asian or Asian British',
      'Black, Black British, Caribbean or African',
      'Mixed or multiple ethnic groups',
      'White',
      'Another ethnic group',
    ],
  },
  {
    key: 'disability',
    legend: 'Do you have a physical or mental health condition or illness that has lasted or is expected to last 12 months or more?',
    options: [
      'Yes, and it reduces my ability to do day-to-day activities a lot',
      'Yes, and it reduces my ability to do day-to-day activities a little',
      'Yes, but it does not reduce my ability to do day-to-day activities',
      'No',
    ],
  },
  {
    key: 'sexualOrientation',
    legend: 'Which of these best describes your sexual orientation?',
    options: ['Straight or heterosexual', 'Gay or lesbian', 'Bisexual', 'Another sexual orientation'],
  },
  {
    key: 'religion',
    legend: 'What is your religion?',
    options: ['No religion', 'Buddhist', 'Christian', 'Hindu', 'Jewish', 'Muslim', 'Sikh', 'Another religion'],
  },
] as const;

const answerValues = (q: (typeof diversityQuestions)[number]) => [...q.options, PREFER_NOT.value] as string[];

// The stored answers are the English words; people read them in their language from the catalogue:
// profile.diversity.questions.<key>.legend and .options.<answer as a slug>.
const slug = (answer: string) =>
  answer
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
// The catalogue key of a stored answer's words, for pages that translate later (kept measures).
export const diversityAnswerKey = (key: string, answer: string) => `profile.diversity.questions.${key}.options.${slug(answer)}`;
export const diversityQuestionText = (tr: Translator, key: string) => tr.t(`profile.diversity.questions.${key}.legend`);
export const diversityAnswerText = (tr: Translator, key: string, answer: string) =>
  answer === PREFER_NOT.value
    ? tr.t('profile.diversity.preferNotToSay')
    : tr.t(`profile.diversity.questions.${key}.options.${slug(answer)}`);

export function diversityItems(answers: Record<string, unknown>, tr: Translator) {
  return diversityQuestions.map((q) => ({
    key: q.key,
    legend: diversityQuestionText(tr, q.key),
    items: [
      ...[...q.options, PREFER_NOT.value].map((o) => ({
        value: o,
        text: diversityAnswerText(tr, q.key, o),
        checked: answers[q.key] === o,
      })),
    ].flatMap((item) => (item.value === PREFER_NOT.value ? [{ divider: tr.t('profile.diversity.or') }, item] : [item])),
  }));
}

// Every question is optional; an answer must be one offered.
export function validateDiversity(
  form: Record<string, unknown>,
): { ok: true; value: Record<string, string> } | { ok: false; errors: FieldErrors } {
  const value: Record<string, string> = {};
  const errors: FieldErrors = {};
  for (const q of diversityQuestions) {
    const raw = form[q.key];
    if (raw === undefined || raw === '') continue;
    const parsed = z
      .string()
      .refine((v) => answerValues(q).includes(v))
      .safeParse(raw);
    if (parsed.success) value[q.key] = parsed.data;
    else errors[q.key] = msg('profile.diversity.fromList');
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value };
}

export function createDiversityRepository(db: Db) {
  return {
    async answers(userId: string): Promise<Record<string, string> | null> {
      const [row] = await db.select().from(diversityMonitoring).where(eq(diversityMonitoring.userId, userId));
      return row?.answers ?? null;
    },
    async answeredAt(userId: string): Promise<Date | null> {
      const [row] = await db
        .select({ at: diversityMonitoring.updatedAt })
        .from(diversityMonitoring)
        .where(eq(diversityMonitoring.userId, userId));
      return row?.at ?? null;
    },
    async save(userId: string, answers: Record<string, string>, runner: Db | Tx = db) {
      await runner
        .insert(diversityMonitoring)
        .values({ userId, answers })
        .onConflictDoUpdate({ target: diversityMonitoring.userId, set: { answers, updatedAt: new Date() } });
    },
    // Counts per answer for a group of people (say, the applicants to an opportunity). A group
    // smaller than MIN_GROUP is refused outright, and any count below it is shown as "fewer than 5".
    async summary(userIds: string[]) {
      if (userIds.length < MIN_GROUP) return null;
      const rows = await db
        .select({ answers: diversityMonitoring.answers })
        .from(diversityMonitoring)
        .where(inArray(diversityMonitoring.userId, userIds));
      return diversityQuestions.map((q) => {
        const counts = new Map<string, number>();
        for (const r of rows) {
          const a = r.answers[q.key] ?? 'Not answered';
          counts.set(a, (counts.get(a) ?? 0) + 1);
        }
        const notInTable = userIds.length - rows.length;
        if (notInTable) counts.set('Not answered', (counts.get('Not answered') ?? 0) + notInTable);
        return {
          key: q.key,
          legend: q.legend,
          counts: [...counts].map(([answer, n]) => ({
            answer: answer === PREFER_NOT.value ? PREFER_NOT.text : answer,
            count: n >= MIN_GROUP ? n : `fewer than ${MIN_GROUP}`,
          })),
        };
      });
    },
  };
}
