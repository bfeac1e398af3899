import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireStaff } from '#src/platform/identity/plugin.ts';
import { sendPrivateFile } from '#src/platform/storage/private-file.ts';
import { unreadableUpload, uploadRoutes } from '#src/platform/storage/uploads.ts';
import { MAX_EVIDENCE_BYTES, type UploadedEvidence } from './standards-evidence-service.ts';
import type { RoundRow, StandardRow } from './standards-repository.ts';
import { roundView } from './standards-round-view.ts';
import { actionFieldOrder, evidenceFieldOrder, savedNotice } from './standards-schema.ts';
import { ratings } from './tables.ts';

const A = 'standardsStaff.admin';
const V = 'accountability/views/standards';
type Params = { Params: { id: string; standardId: string } };
type ItemParams = { Params: { id: string; itemId: string } };

async function readFile(part: MultipartFile): Promise<UploadedEvidence> {
  return { filename: part.filename, data: await part.toBuffer(), truncated: part.file.truncated };
}

// One standard in one round, for staff: the rating and narrative, evidence (links and files),
// actions to improve and making one a commitment, beside the measures and the contributors' view.
// Each form on the page re-renders it with its own errors.
export default async function standardsAssessmentRoutes(app: FastifyInstance) {
  const { standardsRounds: rounds, standardsEvidence: evidence, standardsFrameworks: frameworks } = app.services;
  app.addHook('onRequest', requireStaff);

  async function find(params: { id: string; standardId: string }) {
    const round = await rounds.find(idOrNotFound(params.id, 'round'));
    const framework = await frameworks.find(round.frameworkId);
    const standard = await frameworks.findStandard(framework, idOrNotFound(params.standardId, 'standard'));
    return { round, standard };
  }

  type Extra = { values?: Record<string, unknown>; errors?: FieldErrors; saved?: string | null };
  async function render(reply: FastifyReply, round: RoundRow, standard: StandardRow, extra: Extra = {}, status = 200) {
    const { t, date } = reply.request.tr;
    const view = await roundView(app.featureContext, app.database.db, round, { lang: reply.request.lang, publicView: false });
    const item = view.standards.find((s) => s.standard.id === standard.id)!;
    const errors = extra.errors ?? {};
    // The rating form keeps what is saved while another form on the page is shown again.
    const values: Record<string, unknown> = {
      rating: item.rating ?? '',
      narrative: await rounds.narrativeOf(round.id, standard.id),
      ...extra.values,
    };
    const { commitments, entries } = await evidence.linkOptions();
    const chosen = typeof values.platformLink === 'string' ? values.platformLink : '';
    return reply.render(
      `${V}/assess.njk`,
      {
        pageTitle: msg(`${A}.assess.title`, { standard: standard.name, round: round.title }),
        ...view,
        item,
        values,
        errors,
        errorList: errorSummary(errors, ['rating', 'narrative', ...evidenceFieldOrder, 'fileTitle', ...actionFieldOrder]),
        saved: extra.saved ?? null,
        maxMegabytes: MAX_EVIDENCE_BYTES / 1024 / 1024,
        ratingItems: [
          { value: '', text: t(`${A}.assess.notRated`), checked: !values.rating },
          ...ratings.map((r) => ({ value: r, text: t(`standards.ratings.${r}`), checked: values.rating === r })),
        ],
        linkItems: [
          { value: '', text: t(`${A}.evidence.choose`) },
          ...commitments.map((c) => ({
            value: c.path,
            text: t(`${A}.evidence.commitment`, { title: c.title }),
            selected: chosen === c.path,
          })),
          ...entries.map((e) => ({
            value: e.path,
            text: t(`${A}.evidence.entry`, { title: e.title, date: date(e.happenedOn) }),
            selected: chosen === e.path,
          })),
        ],
      },
      status,
    );
  }
  const at = (round: RoundRow, standard: StandardRow, saved: string) =>
    `/admin/standards/${round.id}/standards/${standard.id}?saved=${saved}`;
  const statusOf = (errors: FieldErrors) => (errors.form ? 409 : 400);

  app.get<Params & { Querystring: { saved?: unknown } }>('/admin/standards/:id/standards/:standardId', async (req, reply) => {
    const { round, standard } = await find(req.params);
    return render(reply, round, standard, { saved: savedNotice(req.query) });
  });

  app.post<Params>('/admin/standards/:id/standards/:standardId', async (req, reply) => {
    const { round, standard } = await find(req.params);
    const form = trimmed(req.body);
    const result = await rounds.rate(req.currentUser!, round, standard, form);
    if (!result.ok) return render(reply, round, standard, { values: form, errors: result.errors }, statusOf(result.errors));
    return reply.redirect(at(round, standard, 'rated'), 303);
  });

  app.post<Params>('/admin/standards/:id/standards/:standardId/evidence', async (req, reply) => {
    const { round, standard } = await find(req.params);
    const form = trimmed(req.body);
    const result = await evidence.addLink(req.currentUser!, round, standard, form);
    if (!result.ok) return render(reply, round, standard, { values: form, errors: result.errors }, statusOf(result.errors));
    return reply.redirect(at(round, standard, 'evidence'), 303);
  });

  app.post<Params>('/admin/standards/:id/standards/:standardId/actions', async (req, reply) => {
    const { round, standard } = await find(req.params);
    const form = trimmed(req.body);
    const result = await evidence.addAction(req.currentUser!, round, standard, form);
    if (!result.ok) return render(reply, round, standard, { values: form, errors: result.errors }, 400);
    return reply.redirect(at(round, standard, 'action'), 303);
  });

  // An evidence row or an action of the round, with its round and standard.
  async function findItem<T extends { standardId: number }>(
    params: { id: string; itemId: string },
    load: (round: RoundRow, id: number) => Promise<T>,
  ) {
    const round = await rounds.find(idOrNotFound(params.id, 'round'));
    const row = await load(round, idOrNotFound(params.itemId, 'item'));
    const framework = await frameworks.find(round.frameworkId);
    return { round, row, standard: await frameworks.findStandard(framework, row.standardId) };
  }

  app.post<ItemParams>('/admin/standards/:id/evidence/:itemId/delete', async (req, reply) => {
    const { round, row, standard } = await findItem(req.params, (r, i) => evidence.findEvidence(r, i));
    const result = await evidence.remove(round, row);
    if (!result.ok) return render(reply, round, standard, { errors: result.errors }, 409);
    return reply.redirect(at(round, standard, 'removed'), 303);
  });

  // An uploaded file, to staff only; it is never on the public summary.
  app.get<ItemParams>('/admin/standards/:id/evidence/:itemId/file', async (req, reply) => {
    const { row: e } = await findItem(req.params, (r, i) => evidence.findEvidence(r, i));
    const body = await evidence.readFile(e);
    if (!body) throw notFound('evidence');
    return sendPrivateFile(reply, { body, name: e.fileName ?? 'evidence', contentType: e.contentType ?? 'application/octet-stream' });
  });

  app.post<ItemParams>('/admin/standards/:id/actions/:itemId/commitment', async (req, reply) => {
    const { round, row, standard } = await findItem(req.params, (r, i) => evidence.findAction(r, i));
    const result = await evidence.makeCommitment(req.currentUser!, round, standard, row);
    if (!result.ok) return render(reply, round, standard, { errors: result.errors }, 409);
    return reply.redirect(at(round, standard, 'commitment'), 303);
  });

  await uploadRoutes(
    app,
    // A little over the limit is read, so "too large" is a message, not a 413.
    { maxBytes: MAX_EVIDENCE_BYTES + 1, maxFields: 4, maxFieldBytes: 10_000, truncateLargeFiles: true, readFile },
    (uploads) => {
      uploads.post<Params>('/admin/standards/:id/standards/:standardId/evidence/file', async (req, reply) => {
        const { round, standard } = await find(req.params);
        if (unreadableUpload(req.body)) return render(reply, round, standard, { errors: { file: msg(`${A}.validation.unreadable`) } }, 400);
        const body = (req.body ?? {}) as Record<string, unknown>;
        const fileTitle = Array.isArray(body.fileTitle) ? '' : body.fileTitle;
        const result = await evidence.addFile(req.currentUser!, round, standard, { title: fileTitle, file: body.file });
        if (!result.ok)
          return render(
            reply,
            round,
            standard,
            { values: { fileTitle: typeof fileTitle === 'string' ? fileTitle : '' }, errors: result.errors },
            statusOf(result.errors),
          );
        return reply.redirect(at(round, standard, 'evidence'), 303);
      });
    },
  );
}
