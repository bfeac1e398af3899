import type { Db, Tx } from '#src/db/client.ts';
import { invalid, ok, validateForm, type FieldErrors, type Result } from '#src/lib/forms.ts';
import { localised, type Translations } from '#src/lib/localised.ts';
import type { Lang } from '#src/lib/i18n.ts';
import { msg } from '#src/lib/messages.ts';
import { TopicSchema } from './schema.ts';
import { createTopicsRepository, type Topic } from './topics-repository.ts';

export type { Topic } from './topics-repository.ts';
export type TopicWithCount = Topic & { subscribers: number };

export const demoTopics = [
  { name: 'News and stories', translations: { cy: { name: 'Newyddion a straeon' } } },
  { name: 'Opportunities to get involved', translations: { cy: { name: 'Cyfleoedd i gymryd rhan' } } },
  { name: 'Research findings', translations: { cy: { name: 'Canfyddiadau ymchwil' } } },
];

// A topic's name in the page's language, and whether it had to fall back to English.
export const topicInLanguage = (t: Topic, lang: Lang) => localised(t, ['name'], lang);

const welshName = (nameCy: string | null): Translations => (nameCy ? { cy: { name: nameCy } } : {});

// Staff manage the topics people can choose; people see only the ones that are not archived.
export function createTopicsService(db: Db) {
  const repo = createTopicsRepository(db);
  const taken: FieldErrors = { name: msg('newsletters.admin.validation.topicTaken') };

  return {
    active(runner: Db | Tx = db): Promise<Topic[]> {
      return createTopicsRepository(runner).active();
    },

    // Every topic with how many active subscribers chose it.
    all(): Promise<TopicWithCount[]> {
      return repo.withActiveCounts();
    },

    async byIds(ids: number[], runner: Db | Tx = db): Promise<Topic[]> {
      if (!ids.length) return [];
      return createTopicsRepository(runner).byIds(ids);
    },

    async add(body: unknown): Promise<Result<number>> {
      const v = validateForm(TopicSchema, body);
      if (!v.ok) return v;
      if (await repo.nameTaken(v.value.name)) return invalid(taken);
      const id = await repo.insert(v.value.name, welshName(v.value.name_cy));
      return id ? ok(id) : invalid(taken);
    },

    async rename(id: number, body: unknown): Promise<Result<number> | { ok: false; missing: true }> {
      const v = validateForm(TopicSchema, body);
      if (!v.ok) return v;
      if (await repo.nameTaken(v.value.name, id)) return invalid(taken);
      const renamed = await repo.rename(id, v.value.name, welshName(v.value.name_cy));
      return renamed ? ok(renamed) : { ok: false, missing: true };
    },

    setArchived(id: number, archived: boolean): Promise<boolean> {
      return repo.setArchivedAt(id, archived ? new Date() : null);
    },
  };
}
export type TopicsService = ReturnType<typeof createTopicsService>;
