import type { Tx } from '#src/db/client.ts';
import { localised, type Translations } from '#src/lib/localised.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { commitmentPath } from './commitments-lookup.ts';
import type { CommitmentRow, StatusRow } from './commitments-repository.ts';

// Telling a commitment's followers, in the staff change's own transaction: the newsletters
// feature keeps the followers (double opt-in, one-click unsubscribe) and sends each of them one
// email per key, in their own language.

export type FollowNews =
  | { kind: 'update'; id: number; title: string; translations: Translations | null }
  | { kind: 'status'; id: number; status: StatusRow; progress: number };

const C = 'commitments.email';

export async function notifyFollowers(ctx: FeatureContext, tx: Tx, commitment: CommitmentRow, news: FollowNews): Promise<void> {
  const follows = ctx.services.newsletters.follows;
  const href = `${ctx.config.baseUrl}${commitmentPath(commitment.slug)}`;
  const key = news.kind === 'update' ? `commitment-update:${news.id}` : `commitment-status:${news.id}`;
  await follows.notify(
    { type: 'commitment', id: commitment.id },
    {
      key,
      tx,
      message: (tr) => {
        const title = localised(commitment, ['title'], tr.lang).title;
        const paragraphs =
          news.kind === 'update'
            ? [
                tr.t(`${C}.update.body`, {
                  title,
                  update: localised({ title: news.title, translations: news.translations }, ['title'], tr.lang).title,
                }),
              ]
            : [
                tr.t(`${C}.status.body`, {
                  title,
                  status: localised(news.status, ['name'], tr.lang).name,
                  progress: news.progress,
                }),
              ];
        return {
          subject: tr.t(`${C}.${news.kind}.subject`, { title }),
          heading: tr.t(`${C}.${news.kind}.heading`, { title }),
          paragraphs,
          action: { text: tr.t(`${C}.action`), href },
        };
      },
    },
  );
}
