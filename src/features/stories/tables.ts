import { sql } from 'drizzle-orm';
import { boolean, index, integer, pgTable, primaryKey, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { translationsColumn } from '#src/db/columns.ts';

export const stories = pgTable(
  'stories',
  {
    id: serial('id').primaryKey(),
    slug: text('slug').notNull().unique(),
    title: text('title').notNull(),
    summary: text('summary').notNull(),
    bodyMarkdown: text('body_markdown').notNull(),
    // Sanitised HTML rendered once on save, so readers never pay for Markdown.
    bodyHtml: text('body_html').notNull(),
    authorName: text('author_name').notNull(),
    authorJobTitle: text('author_job_title'),
    status: text('status', { enum: ['draft', 'published'] })
      .notNull()
      .default('draft'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    commentsOpen: boolean('comments_open').notNull().default(true),
    // Other languages' title, summary and body (bodyMarkdown and bodyHtml), side by side with the English.
    translations: translationsColumn(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('stories_status_published_idx').on(t.status, t.publishedAt),
    // Staff search the list by title; the query repeats this expression exactly (repository.ts).
    index('stories_title_search_idx').using('gin', sql`to_tsvector('simple', ${t.title})`),
  ],
);

export const tags = pgTable('tags', {
  id: serial('id').primaryKey(),
  slug: text('slug').notNull().unique(),
  name: text('name').notNull(),
  translations: translationsColumn(),
});

export const storyTags = pgTable(
  'story_tags',
  {
    storyId: integer('story_id')
      .notNull()
      .references(() => stories.id, { onDelete: 'cascade' }),
    tagId: integer('tag_id')
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.storyId, t.tagId] }), index('story_tags_tag_idx').on(t.tagId)],
);

// Images uploaded into a story. The file itself is in storage (#src/platform/storage) under
// `key`; readers fetch it from /media/<key>. Deleting the story deletes the rows (cascade) and the
// service deletes the files.
export const storyImages = pgTable(
  'story_images',
  {
    id: serial('id').primaryKey(),
    storyId: integer('story_id')
      .notNull()
      .references(() => stories.id, { onDelete: 'cascade' }),
    key: text('key').notNull().unique(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    altText: text('alt_text').notNull(),
    caption: text('caption'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('story_images_story_idx').on(t.storyId)],
);
