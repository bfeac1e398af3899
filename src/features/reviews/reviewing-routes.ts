import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '#src/lib/errors.ts';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import { idOrNotFound } from '#src/lib/ids.ts';
import { msg } from '#src/lib/messages.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { presentReview, savedNotice } from './reviewing-presenting.ts';
import type { Opened, SaveOutcome } from './reviewing-state.ts';
import { sendPrivateFile } from '#src/platform/storage/private-file.ts';

export const V = 'reviews/views/reviewing';
type IdParams = { Params: { id: string }; Querystring: { saved?: string } };
type SectionParams = { Params: { id: string; sectionId: string } };

// A review this signed-in contributor may open (`read`: and read the document): anything else is
// "not found", the same as a review that does not exist (ADR 24).
export async function openedOr404(app: FastifyInstance, req: FastifyRequest<{ Params: { id: string } }>, read = false): Promise<Opened> {
  const o = await app.services.reviewing.open(req.currentUser!, idOrNotFound(req.params.id, 'review'));
  if (!o || (read && o.access !== 'reviewer')) throw notFound('review');
  return o;
}

// The reviewer's side (README "Document reviews"): their list at /profile/reviews, a review's page
// (brief, deadline, contents, accept or decline), its PDF, and each section with its comment box.
export default async function reviewingRoutes(app: FastifyInstance) {
  const { reviewing, storage } = app.services;
  app.addHook('onRequest', requireContributor);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  async function renderReview(
    req: FastifyRequest,
    reply: FastifyReply,
    o: Opened,
    opts: { notice?: string; errors?: FieldErrors } = {},
    status = 200,
  ) {
    const query = req.query as Record<string, unknown>;
    const sections = o.access === 'reviewer' ? await reviewing.contents(o) : [];
    return reply.render(
      `${V}/review.njk`,
      {
        pageTitle: o.review.title,
        r: presentReview(req.tr, o),
        sections,
        commented: sections.filter((s) => s.commented).length,
        saved: savedNotice(req.tr, query.saved),
        notice: opts.notice,
        errors: opts.errors ?? {},
        errorList: opts.errors ? errorSummary(opts.errors) : [],
      },
      status,
    );
  }

  // A change refused (closed, already sent, not accepted): the review's page says why, nothing changed.
  function after(req: FastifyRequest, reply: FastifyReply, o: Opened, outcome: SaveOutcome<unknown>, then: () => unknown) {
    if (outcome.kind === 'refused') return renderReview(req, reply, o, { notice: `reviewing.refused.${outcome.why}` }, 409);
    if (outcome.kind === 'invalid') return renderReview(req, reply, o, { errors: outcome.errors }, 400);
    return then();
  }

  app.get<IdParams>('/profile/reviews', async (req, reply) => {
    const rows = await reviewing.forPerson(me(req).id);
    const present = (list: typeof rows) => list.map((row) => presentReview(req.tr, { ...row, access: 'invited' }, row.commented));
    return reply.render(`${V}/mine.njk`, {
      pageTitle: msg('reviewing.mine.title'),
      invited: present(rows.filter((r) => r.reviewer.state === 'invited')),
      inProgress: present(rows.filter((r) => r.reviewer.state === 'accepted')),
      submitted: present(rows.filter((r) => r.reviewer.state === 'submitted')),
      declined: present(rows.filter((r) => r.reviewer.state === 'declined')),
      saved: savedNotice(req.tr, req.query.saved),
    });
  });

  app.get<IdParams>('/profile/reviews/:id', async (req, reply) => renderReview(req, reply, await openedOr404(app, req)));

  app.post<IdParams>('/profile/reviews/:id/accept', async (req, reply) => {
    const o = await openedOr404(app, req);
    const outcome = await reviewing.accept(o);
    return after(req, reply, o, outcome, () => reply.redirect(`/profile/reviews/${o.review.id}?saved=accepted`, 303));
  });

  app.post<IdParams>('/profile/reviews/:id/decline', async (req, reply) => {
    const o = await openedOr404(app, req);
    const outcome = await reviewing.decline(o, trimmed(req.body));
    // Declined, the review is no longer theirs to open: back to the list.
    return after(req, reply, o, outcome, () => reply.redirect('/profile/reviews?saved=declined', 303));
  });

  // The uploaded PDF, only to its reviewers: a download, never shown inline or kept by a cache.
  app.get<IdParams>('/profile/reviews/:id/document.pdf', async (req, reply) => {
    const o = await openedOr404(app, req, true);
    const body = o.review.documentKey ? await storage.get(o.review.documentKey) : null;
    if (!body) throw notFound('document');
    const name = o.review.documentName ?? 'document.pdf';
    return sendPrivateFile(reply, { body, name, contentType: 'application/pdf' });
  });

  async function renderSection(
    req: FastifyRequest,
    reply: FastifyReply,
    o: Opened,
    sectionId: number,
    values?: Record<string, unknown>,
    errors: FieldErrors = {},
    status = 200,
  ) {
    const found = await reviewing.section(o, sectionId);
    if (!found) throw notFound('section');
    return reply.render(
      `${V}/section.njk`,
      {
        pageTitle: msg('reviewing.section.title', { heading: found.section.heading, title: o.review.title }),
        r: presentReview(req.tr, o),
        ...found,
        values: values ?? { comment: found.comment?.body ?? '' },
        errors,
        errorList: errorSummary(errors),
      },
      status,
    );
  }

  app.get<SectionParams>('/profile/reviews/:id/sections/:sectionId', async (req, reply) =>
    renderSection(req, reply, await openedOr404(app, req, true), idOrNotFound(req.params.sectionId, 'section')),
  );

  app.post<SectionParams>('/profile/reviews/:id/sections/:sectionId', async (req, reply) => {
    const o = await openedOr404(app, req, true);
    const sectionId = idOrNotFound(req.params.sectionId, 'section');
    const form = trimmed(req.body);
    const outcome = await reviewing.saveComment(o, sectionId, form);
    if (!outcome) throw notFound('section');
    if (outcome.kind === 'invalid') return renderSection(req, reply, o, sectionId, form, outcome.errors, 400);
    return after(req, reply, o, outcome, () => {
      const base = `/profile/reviews/${o.review.id}`;
      const { next, action } = outcome.kind === 'saved' ? outcome.value : { next: null, action: 'contents' };
      if (action === 'contents') return reply.redirect(`${base}?saved=section`, 303);
      return reply.redirect(next ? `${base}/sections/${next.id}` : `${base}/questions`, 303);
    });
  });
}
