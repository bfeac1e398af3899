import type { EventEmitter } from 'node:events';
import type { Db } from '#src/db/client.ts';
import type { DomainEvents } from '#src/platform/events.ts';
import type { Services } from '#src/platform/services.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import { sniffImage } from '#src/platform/storage/image-type.ts';
import { createStoriesRepository, type StoryImageRow } from './repository.ts';
import { ImageFormSchema } from './schema.ts';

type Deps = {
  events: EventEmitter<DomainEvents>;
  // Read when used (features' services are built one after another).
  services: Pick<Services, 'comments' | 'audit' | 'storage'>;
};

export type DeletionSummary = { id: number; title: string; slug: string; comments: number; images: number };
export type ImageResult = { ok: true; image: StoryImageRow } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true };

const storyPage = (id: number) => ({ type: 'story', id });

// Markdown for an image: the alt text and caption as plain text (no link or emphasis can sneak in).
const escapeMarkdown = (text: string) => text.replace(/[\\`*_[\]()<>#!|]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
export const imageMarkdown = (url: string, altText: string, caption: string | null) =>
  `![${escapeMarkdown(altText)}](${url})` + (caption ? `\n*${escapeMarkdown(caption)}*` : '');

// What staff do to a story beyond writing it: delete, unpublish, add images.
export function createStoryManagement(db: Db, deps: Deps) {
  const repo = createStoriesRepository(db);
  const { events, services } = deps;

  return {
    // What deleting would remove, for the confirmation page; null when there is no such story.
    async deletionSummary(id: number): Promise<DeletionSummary | null> {
      const row = await repo.findStory({ id });
      if (!row) return null;
      const [comments, images] = await Promise.all([services.comments.countOn(storyPage(id)), repo.imagesOf(id)]);
      return { id, title: row.title, slug: row.slug, comments, images: images.length };
    },

    // The story, its tags, comments (with their reports) and images go; the audit log keeps a line.
    async deleteStory(id: number, staffId: string): Promise<DeletionSummary | null> {
      const row = await repo.findStory({ id });
      if (!row) return null;
      const { images, comments } = await db.transaction(async (tx) => {
        const images = await repo.imagesOf(id, tx);
        const comments = await services.comments.removeAllOn(storyPage(id), tx);
        await repo.deleteStory(id, tx);
        const details = { storyId: id, title: row.title, comments, images: images.length };
        await services.audit.record({ actorUserId: staffId, action: 'story.deleted', details }, tx);
        return { images, comments };
      });
      events.emit('story.changed', id);
      // After the commit: a file left behind by a failed delete is harmless (nothing links to it).
      await Promise.allSettled(images.map((img) => services.storage.delete(img.key)));
      return { id, title: row.title, slug: row.slug, comments, images: images.length };
    },

    // Back to a draft: readers no longer see it; its comments stay for when it returns.
    async unpublish(id: number, staffId: string): Promise<boolean> {
      const changed = await db.transaction(async (tx) => {
        if (!(await repo.setDraft(id, tx))) return false;
        await services.audit.record({ actorUserId: staffId, action: 'story.unpublished', details: { storyId: id } }, tx);
        return true;
      });
      if (changed) events.emit('story.changed', id);
      return changed;
    },

    imagesOf: (storyId: number) => repo.imagesOf(storyId),

    // Stores the file under a new key and adds the image to the end of the story's body, where
    // staff can move it.
    async addImage(storyId: number, form: unknown): Promise<ImageResult> {
      const story = await repo.findStory({ id: storyId });
      if (!story) return { ok: false, notFound: true };
      const v = validateForm(ImageFormSchema, form);
      if (!v.ok) return v;
      const kind = sniffImage(v.value.file.data);
      if (!kind) return { ok: false, errors: { file: msg('storyImages.admin.errors.file.type') } };
      const key = services.storage.newKey(kind.ext);
      await services.storage.put(key, v.value.file.data, kind.contentType);
      const bodyMarkdown = `${story.bodyMarkdown.trimEnd()}\n\n${imageMarkdown(services.storage.urlOf(key), v.value.altText, v.value.caption)}\n`;
      try {
        const image = await db.transaction(async (tx) => {
          const image = await repo.insertImage(
            {
              storyId,
              key,
              contentType: kind.contentType,
              bytes: v.value.file.data.length,
              altText: v.value.altText,
              caption: v.value.caption,
            },
            tx,
          );
          await repo.setBody(storyId, { bodyMarkdown, bodyHtml: renderMarkdown(bodyMarkdown) }, tx);
          return image;
        });
        events.emit('story.changed', storyId);
        return { ok: true, image };
      } catch (err) {
        await services.storage.delete(key);
        throw err;
      }
    },
  };
}
export type StoryManagement = ReturnType<typeof createStoryManagement>;
