import type { Db, Tx } from '#src/db/client.ts';
import { notFound } from '#src/lib/errors.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { sniffDocument } from '#src/features/groups/document-type.ts';
import { commitmentOptions } from './commitments-lookup.ts';
import { publishedEntryOptions } from './said-did-lookup.ts';
import { createStandardsRepository, type ActionRow, type EvidenceRow, type RoundRow, type StandardRow } from './standards-repository.ts';
import { EvidenceLinkSchema, readActionForm } from './standards-schema.ts';

const V = 'standardsStaff.admin.validation';
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

// A draft commitment through the commitments area's service, in the caller's transaction.
type DraftValues = { title: string; promiseMarkdown: string; dueOn: string | null; tags: string[] };
function draftMaker(ctx: FeatureContext) {
  return (staff: CurrentUser, values: DraftValues, tx: Db | Tx) => ctx.services.commitments.createDraftFromAction(staff, values, tx);
}

class AlreadyLinked extends Error {}

// The file as the upload route reads it.
export type UploadedEvidence = { filename: string; data: Buffer; truncated: boolean };
const isUpload = (v: unknown): v is UploadedEvidence =>
  !!v && typeof v === 'object' && Buffer.isBuffer((v as UploadedEvidence).data) && (v as UploadedEvidence).data.length > 0;
// PDF, Word or an image (read from the bytes, never the name).
const evidenceExts = new Set(['pdf', 'docx', 'doc', 'jpg', 'png', 'gif', 'webp']);

// Evidence for a standard in a round (a link to something on the platform or elsewhere, or a file
// kept in private storage) and actions to improve, one of which can become a draft commitment in
// one step. Evidence is frozen with the ratings once the round is completed; actions are not
// (completing a round is when most of them are written).
export function createStandardsEvidenceService(db: Db, ctx: FeatureContext) {
  const repo = createStandardsRepository(db);
  const { storage } = ctx.services;
  const draftCommitment = draftMaker(ctx);
  const frozen = (round: RoundRow) => (round.state === 'completed' ? invalid({ form: msg(`${V}.completed`) }) : null);

  // What staff may link to from the platform: published commitments and "you said, we did" entries.
  async function linkOptions() {
    const [commitments, entries] = await Promise.all([commitmentOptions(db), publishedEntryOptions(db)]);
    return { commitments: commitments.filter((c) => c.published), entries };
  }

  return {
    linkOptions,
    evidenceOf: (roundId: number) => repo.evidenceOf(roundId),
    actionsOf: (roundId: number) => repo.actionsOf(roundId),
    async findEvidence(round: RoundRow, id: number): Promise<EvidenceRow> {
      const e = await repo.evidence(round.id, id);
      if (!e) throw notFound('evidence');
      return e;
    },
    async findAction(round: RoundRow, id: number): Promise<ActionRow> {
      const a = await repo.action(round.id, id);
      if (!a) throw notFound('action');
      return a;
    },

    async addLink(staff: CurrentUser, round: RoundRow, standard: StandardRow, form: unknown): Promise<Result<EvidenceRow>> {
      const closed = frozen(round);
      if (closed) return closed;
      const v = validateForm(EvidenceLinkSchema, form);
      if (!v.ok) return v;
      const { platformLink, href, title, isPublic } = v.value;
      let link: { href: string; title: string };
      if (platformLink) {
        const { commitments, entries } = await linkOptions();
        const chosen = [...commitments, ...entries].find((o) => o.path === platformLink);
        if (!chosen) return invalid({ platformLink: msg(`${V}.platformLink`) });
        if (href) return invalid({ href: msg(`${V}.bothLinks`) });
        link = { href: chosen.path, title: title ?? chosen.title };
      } else {
        if (!href) return invalid({ platformLink: msg(`${V}.noLink`) });
        if (!title) return invalid({ title: msg(`${V}.title`) });
        link = { href, title };
      }
      return ok(
        await repo.insertEvidence({ roundId: round.id, standardId: standard.id, kind: 'link', ...link, isPublic, addedBy: staff.id }),
      );
    },

    // Kept under a private key (never served from /media); staff download it from the round.
    async addFile(
      staff: CurrentUser,
      round: RoundRow,
      standard: StandardRow,
      form: { title: unknown; file: unknown },
    ): Promise<Result<EvidenceRow>> {
      const closed = frozen(round);
      if (closed) return closed;
      const title = typeof form.title === 'string' ? form.title.trim() : '';
      const errors: Record<string, string> = {};
      if (!title) errors.fileTitle = msg(`${V}.title`);
      else if (title.length > 200) errors.fileTitle = msg(`${V}.titleTooLong`, { max: 200 });
      const file = form.file;
      const kind = isUpload(file) && !file.truncated && file.data.length <= MAX_EVIDENCE_BYTES ? sniffDocument(file.data) : null;
      if (!isUpload(file)) errors.file = msg(`${V}.file`);
      else if (file.truncated || file.data.length > MAX_EVIDENCE_BYTES) errors.file = msg(`${V}.fileTooLarge`, { max: 10 });
      else if (!kind || !evidenceExts.has(kind.ext)) errors.file = msg(`${V}.fileType`);
      if (Object.keys(errors).length || !kind || !isUpload(file)) return invalid(errors);
      const key = storage.newPrivateKey(kind.ext);
      await storage.put(key, file.data, kind.contentType);
      const base =
        (file.filename || 'evidence')
          .replace(/\.[^.]*$/, '')
          .replace(/[^\p{L}\p{N} ._-]/gu, '')
          .slice(0, 100) || 'evidence';
      return ok(
        await repo.insertEvidence({
          roundId: round.id,
          standardId: standard.id,
          kind: 'file',
          title,
          fileKey: key,
          fileName: `${base}.${kind.ext}`,
          fileBytes: file.data.length,
          contentType: kind.contentType,
          isPublic: false,
          addedBy: staff.id,
        }),
      );
    },

    async readFile(evidence: EvidenceRow): Promise<Buffer | null> {
      return evidence.kind === 'file' && evidence.fileKey ? storage.get(evidence.fileKey) : null;
    },

    async remove(round: RoundRow, evidence: EvidenceRow): Promise<Result> {
      const closed = frozen(round);
      if (closed) return closed;
      await repo.deleteEvidence(evidence.id);
      if (evidence.fileKey) await storage.delete(evidence.fileKey);
      return ok();
    },

    async addAction(staff: CurrentUser, round: RoundRow, standard: StandardRow, form: Record<string, unknown>): Promise<Result<ActionRow>> {
      const v = readActionForm(form);
      if (!v.ok) return v;
      return ok(await repo.insertAction({ roundId: round.id, standardId: standard.id, ...v.value, createdBy: staff.id }));
    },

    // "Make this a commitment": a draft commitment (staff fill it in and publish it on the
    // commitments pages) and the action linked to it, together or not at all.
    async makeCommitment(
      staff: CurrentUser,
      round: RoundRow,
      standard: StandardRow,
      action: ActionRow,
    ): Promise<Result<{ id: number; slug: string }>> {
      if (action.commitmentId) return invalid({ form: msg(`${V}.alreadyCommitment`) });
      const promise = ctx.i18n.translator('en').t('standardsStaff.admin.actions.promise', { standard: standard.name, round: round.title });
      const values = { title: action.text.slice(0, 200), promiseMarkdown: promise, dueOn: action.dueOn, tags: ['involvement standards'] };
      // Two presses at once make one commitment: the second finds the action linked and undoes its own.
      try {
        return ok(
          await db.transaction(async (tx) => {
            if ((await repo.lockAction(action.id, tx))?.commitmentId) throw new AlreadyLinked();
            const draft = await draftCommitment(staff, values, tx);
            if (!(await repo.linkAction(action.id, draft.id, tx))) throw new AlreadyLinked();
            return draft;
          }),
        );
      } catch (e) {
        if (e instanceof AlreadyLinked) return invalid({ form: msg(`${V}.alreadyCommitment`) });
        throw e;
      }
    },
  };
}

export type StandardsEvidenceService = ReturnType<typeof createStandardsEvidenceService>;
