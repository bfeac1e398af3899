import type { Db } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { sniffDocument } from './document-type.ts';
import { createDocumentsRepository, type AnnouncementRow, type DocumentRow } from './documents-repository.ts';
import { createGroupsRepository, type GroupRow } from './groups-repository.ts';
import { AnnouncementSchema } from './groups-schema.ts';
import { recipients, sendAnnouncement } from './groups-emails.ts';

export type { AnnouncementRow, DocumentRow } from './documents-repository.ts';
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
const V = 'groups.validation';
const archived = () => invalid({ form: msg(`${V}.archived`) });

// The file as the upload route reads it.
export type UploadedDocument = { filename: string; data: Buffer; truncated: boolean };

const asText = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const isUpload = (v: unknown): v is UploadedDocument => !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedDocument).data);

// Papers shared with a group's members, and staff announcements emailed to them. Files are stored
// under private keys (never served from /media), after their type is read from their bytes.
export function createDocumentsService(db: Db, ctx: FeatureContext) {
  const repo = createDocumentsRepository(db);
  const groupsRepo = createGroupsRepository(db);
  const { audit, storage } = ctx.services;

  function readUpload(form: Record<string, unknown>, meetingIds: number[]) {
    const errors: Record<string, string> = {};
    const title = asText(form.title);
    if (!title) errors.title = msg(`${V}.documentTitle.missing`);
    else if (title.length > 200) errors.title = msg(`${V}.documentTitle.tooLong`, { max: 200 });
    const file = form.file;
    let kind = null;
    if (!isUpload(file) || !file.data.length) errors.file = msg(`${V}.file.missing`);
    else if (file.truncated || file.data.length > MAX_DOCUMENT_BYTES)
      errors.file = msg(`${V}.file.tooLarge`, { max: MAX_DOCUMENT_BYTES / 1024 / 1024 });
    else if (!(kind = sniffDocument(file.data))) errors.file = msg(`${V}.file.type`);
    const meetingId = Number(asText(form.meetingId)) || null;
    if (asText(form.meetingId) && (!meetingId || !meetingIds.includes(meetingId))) errors.meetingId = msg(`${V}.meetingId.unknown`);
    return { errors, title, file: file as UploadedDocument, kind, largePrint: form.largePrint === 'yes', meetingId };
  }

  return {
    of: (groupId: number) => repo.of(groupId),
    forMeeting: (meetingId: number) => repo.forMeeting(meetingId),
    meetingsOf: (groupId: number) => repo.meetingsOf(groupId),
    inGroup: (groupId: number, id: number) => repo.inGroup(groupId, id),
    announcementsOf: (groupId: number) => repo.announcementsOf(groupId),

    async upload(g: GroupRow, staff: CurrentUser, form: Record<string, unknown>): Promise<Result<DocumentRow>> {
      if (g.archivedAt) return archived();
      const r = readUpload(
        form,
        (await repo.meetingsOf(g.id)).map((m) => m.id),
      );
      if (Object.keys(r.errors).length || !r.kind) return invalid(r.errors);
      const key = storage.newPrivateKey(r.kind.ext);
      await storage.put(key, r.file.data, r.kind.contentType);
      // The name people download it as: what they called it, with the extension it really has.
      const base =
        (r.file.filename || 'document')
          .replace(/\.[^.]*$/, '')
          .replace(/[^\p{L}\p{N} ._-]/gu, '')
          .slice(0, 100) || 'document';
      try {
        return ok(
          await db.transaction(async (tx) => {
            const d = await repo.insert(
              {
                groupId: g.id,
                meetingId: r.meetingId,
                title: r.title,
                fileName: `${base}.${r.kind!.ext}`,
                contentType: r.kind!.contentType,
                sizeBytes: r.file.data.length,
                storageKey: key,
                largePrint: r.largePrint,
                uploadedBy: staff.id,
              },
              tx,
            );
            await audit.record(
              { actorUserId: staff.id, action: 'group.document-added', details: { groupId: g.id, group: g.name, documentId: d.id } },
              tx,
            );
            return d;
          }),
        );
      } catch (err) {
        // Nothing half-stored: the file goes if its row could not be written.
        await storage.delete(key);
        throw err;
      }
    },

    read: (d: DocumentRow) => storage.get(d.storageKey),

    async remove(g: GroupRow, staff: CurrentUser, d: DocumentRow): Promise<Result> {
      if (g.archivedAt) return archived();
      await db.transaction(async (tx) => {
        await repo.remove(d.id, tx);
        await audit.record(
          { actorUserId: staff.id, action: 'group.document-deleted', details: { groupId: g.id, group: g.name, documentId: d.id } },
          tx,
        );
      });
      await storage.delete(d.storageKey);
      return ok();
    },

    // Posted and emailed to every member in one transaction.
    async announce(g: GroupRow, staff: CurrentUser, form: Record<string, unknown>): Promise<Result<AnnouncementRow>> {
      if (g.archivedAt) return archived();
      const v = validateForm(AnnouncementSchema, form);
      if (!v.ok) return v;
      const members = (await groupsRepo.members(g.id)).map((m) => ({ id: m.member.userId, email: m.email, name: m.name }));
      const people = await recipients(ctx, members);
      return ok(
        await db.transaction(async (tx) => {
          const a = await repo.addAnnouncement(
            {
              groupId: g.id,
              title: v.value.title,
              bodyMarkdown: v.value.body,
              bodyHtml: renderMarkdown(v.value.body),
              createdBy: staff.id,
              emailedTo: people.length,
            },
            tx,
          );
          await sendAnnouncement(ctx, tx, g, a, people);
          await audit.record(
            {
              actorUserId: staff.id,
              action: 'group.announcement-posted',
              details: { groupId: g.id, group: g.name, announcementId: a.id, emailedTo: people.length },
            },
            tx,
          );
          return a;
        }),
      );
    },
  };
}

export type DocumentsService = ReturnType<typeof createDocumentsService>;
