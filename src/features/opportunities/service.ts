import type { Db, Tx } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import { ok, type Result } from '#src/lib/forms.ts';
import type { I18n, Translator } from '#src/lib/i18n.ts';
import { renderMarkdown } from '#src/lib/markdown.ts';
import { msg } from '#src/lib/messages.ts';
import { slugify } from '#src/lib/text.ts';
import { firstFreeSlug } from '#src/db/slugs.ts';
import type { Log } from '#src/lib/log.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { AuditService } from '#src/platform/audit/service.ts';
import type { IdentityService } from '#src/platform/identity/service.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import type { ProfileService } from '#src/features/profile/service.ts';
import { emailFromWords } from '#src/platform/mail/words.ts';
import { createOpportunitiesRepository, type OpportunityRow, type OpportunityStatus } from './repository.ts';
import { presented } from './presenting.ts';
import { readNewClosingTime, readOpportunityForm, type ListingFilters, type OpportunityFields } from './schema.ts';

const V = 'opportunities.admin.validation';

export type OpportunitiesDeps = {
  config: Config;
  mail: MailService;
  audit: AuditService;
  identity: Pick<IdentityService, 'accountsByIds'>;
  profile: Pick<ProfileService, 'terms'>;
  i18n: I18n;
  log: Log;
  now?: () => Date;
};

// What a staff action on the life cycle came to: done, or the opportunity was not in a state it
// could leave that way (a second click, or someone else got there first).
export type StepOutcome = { kind: 'done'; opportunity: OpportunityRow } | { kind: 'wrong-state' };

// Where each action may start from.
const from: Record<'publish' | 'close' | 'selectionDone' | 'archive' | 'newClosingTime', readonly OpportunityStatus[]> = {
  publish: ['draft'],
  close: ['open'],
  selectionDone: ['closed'],
  archive: ['draft', 'closed', 'selection-done'],
  newClosingTime: ['open', 'closed'],
};

// The form's values as the row stores them; prose rendered and sanitised once, here.
function toRow(v: OpportunityFields) {
  const cy = Object.fromEntries(
    Object.entries({
      title: v.title_cy,
      summary: v.summary_cy,
      roleMarkdown: v.role_cy,
      roleHtml: v.role_cy ? renderMarkdown(v.role_cy) : null,
      involvedMarkdown: v.involved_cy,
      involvedHtml: v.involved_cy ? renderMarkdown(v.involved_cy) : null,
    }).filter((e): e is [string, string] => !!e[1]),
  );
  return {
    type: v.type,
    title: v.title,
    summary: v.summary,
    roleMarkdown: v.role,
    roleHtml: renderMarkdown(v.role),
    involvedMarkdown: v.involved,
    involvedHtml: renderMarkdown(v.involved),
    timeCommitment: v.timeCommitment,
    startsOn: v.startsOn,
    endsOn: v.endsOn,
    meetingDates: v.meetingDates,
    mode: v.mode,
    venueAddress: v.mode === 'online' ? null : v.venueAddress,
    venueAccessibility: v.mode === 'online' ? null : v.venueAccessibility,
    region: v.region,
    paid: v.paid === 'yes',
    feePence: v.feePence,
    feeUnit: v.feeUnit as OpportunityRow['feeUnit'],
    expensesCovered: v.expensesCovered,
    paymentNotes: v.paymentNotes,
    support: v.support,
    supportNotes: v.supportNotes,
    soughtTermIds: v.soughtTermIds,
    lookingForMarkdown: v.lookingFor,
    lookingForHtml: renderMarkdown(v.lookingFor),
    welcomeFrom: v.welcomeFrom,
    places: v.places,
    closesAt: v.closesAt,
    howToApply: v.howToApply,
    contactName: v.contactName,
    contactEmail: v.contactEmail,
    accessibleFormats: v.accessibleFormats,
    blindScoring: v.blindScoring,
    translations: cy.title ? { cy } : {},
  };
}

export function createOpportunitiesService(db: Db, deps: OpportunitiesDeps) {
  const repo = createOpportunitiesRepository(db);
  const now = deps.now ?? (() => new Date());
  const { audit, mail, config, i18n } = deps;

  // The form read and checked, including that every lived experience term sought exists.
  async function readForm(form: Record<string, unknown>, kept: OpportunityRow | null): Promise<Result<OpportunityFields>> {
    const read = readOpportunityForm(form, now(), kept?.closesAt ?? null);
    if (!read.ok) return read;
    const known = new Set((await deps.profile.terms(true)).map((t) => t.id));
    if (read.value.soughtTermIds.some((id) => !known.has(id))) return { ok: false, errors: { soughtTermIds: msg(`${V}.fromList`) } };
    return read;
  }

  // The address typed, or one made from the title with -2, -3 … until it is free.
  async function slugFor(asked: string, title: string, own: OpportunityRow | null): Promise<Result<string>> {
    if (asked) {
      const taken = await repo.slugsLike(asked);
      if (taken.has(asked) && own?.slug !== asked) return { ok: false, errors: { slug: msg(`${V}.slugTaken`) } };
      return ok(asked);
    }
    if (own) return ok(own.slug);
    const base = slugify(title).slice(0, 70) || 'opportunity';
    return ok(firstFreeSlug(base, await repo.slugsLike(base)));
  }

  async function step(
    o: OpportunityRow,
    action: keyof typeof from,
    staff: CurrentUser,
    values: Partial<OpportunityRow>,
    auditAction: string,
    after?: (tx: Tx, row: OpportunityRow) => Promise<void>,
  ): Promise<StepOutcome> {
    return db.transaction(async (tx) => {
      const row = await repo.transition(o.id, from[action], values, tx);
      if (!row) return { kind: 'wrong-state' as const };
      await audit.record({ actorUserId: staff.id, action: auditAction, details: { opportunityId: row.id, opportunity: row.title } }, tx);
      if (after) await after(tx, row);
      return { kind: 'done' as const, opportunity: row };
    });
  }

  // Everyone with an application in play hears of a new closing date, in the language they applied
  // in. Who they are is read before the transaction (one connection on PGlite); the emails are
  // written in it.
  async function applicantsToTell(o: OpportunityRow) {
    const applicants = await repo.applicantsOf(o.id);
    const accounts = await deps.identity.accountsByIds(applicants.map((a) => a.userId));
    return applicants.flatMap((a) => {
      const account = accounts.get(a.userId);
      return account ? [{ ...a, email: account.email, name: account.name }] : [];
    });
  }

  async function tellApplicants(tx: Tx, row: OpportunityRow, applicants: Awaited<ReturnType<typeof applicantsToTell>>, reopened: boolean) {
    for (const a of applicants) {
      const tr = i18n.translator(a.language);
      const title = (tr.lang !== 'en' && row.translations?.[tr.lang]?.title) || row.title;
      const email = emailFromWords(tr, a.email, {
        words: `opportunities.emails.${reopened ? 'reopened' : 'extended'}`,
        paragraphs: ['dear', a.state === 'draft' ? 'draft' : 'submitted', 'closes'],
        values: { name: a.name, title, closes: tr.dateTime(row.closesAt) },
        href: `${config.baseUrl}/opportunities/${row.slug}`,
      });
      await mail.enqueue(email, {
        key: `opportunity-closing-${row.id}-${a.userId}-${row.closesAt!.getTime()}`,
        kind: 'opportunity-closing-changed',
        tx,
      });
    }
  }

  return {
    byId: (id: number) => repo.byId(id),
    bySlug: (slug: string) => repo.bySlug(slug),
    questions: (opportunityId: number) => repo.questions(opportunityId),
    counts: () => repo.counts(),

    // The staff list for one status, with how many have applied to each.
    async withStatus(status: OpportunityStatus) {
      const rows = await repo.withStatus(status);
      const applied = await repo.applicationCounts(rows.map((r) => r.id));
      return rows.map((r) => ({ ...r, applications: applied.get(r.id) ?? 0 }));
    },

    // Public: what anyone may read. A draft is not there yet.
    async published(slug: string) {
      const row = await repo.bySlug(slug);
      return row && row.status !== 'draft' ? row : null;
    },

    // Still taking applications at this moment (the closing job may not have run yet).
    isTakingApplications: (o: OpportunityRow) => o.status === 'open' && (!o.closesAt || o.closesAt > now()),

    listing: (filters: ListingFilters, page: number, perPage: number) => repo.listing(filters, page, perPage, now()),
    latestOpen: (limit: number) => repo.latestOpen(limit, now()),
    // The newest open ones as the home page shows them, in the reader's language.
    latestOpenPresented: async (limit: number, tr: Translator) => (await repo.latestOpen(limit, now())).map((o) => presented(o, tr)),

    async create(staff: CurrentUser, form: Record<string, unknown>): Promise<Result<OpportunityRow>> {
      const v = await readForm(form, null);
      if (!v.ok) return v;
      const slug = await slugFor(v.value.slug, v.value.title, null);
      if (!slug.ok) return slug;
      return ok(await repo.insert({ ...toRow(v.value), slug: slug.value, status: 'draft', createdBy: staff.id, contactUserId: staff.id }));
    },

    async update(o: OpportunityRow, form: Record<string, unknown>): Promise<Result<OpportunityRow>> {
      if (o.status === 'archived') return { ok: false, errors: { form: msg(`${V}.archived`) } };
      const v = await readForm(form, o);
      if (!v.ok) return v;
      const slug = await slugFor(v.value.slug, v.value.title, o);
      if (!slug.ok) return slug;
      // A new closing time goes through "change the closing date", which tells applicants.
      const closesAt = o.status === 'draft' ? v.value.closesAt : o.closesAt;
      return ok((await repo.update(o.id, { ...toRow(v.value), slug: slug.value, closesAt }))!);
    },

    async publish(o: OpportunityRow, staff: CurrentUser): Promise<StepOutcome | { kind: 'closing-passed' }> {
      if (o.status === 'draft' && (!o.closesAt || o.closesAt <= now())) return { kind: 'closing-passed' };
      return step(o, 'publish', staff, { status: 'open', publishedAt: o.publishedAt ?? now() }, 'opportunity.published');
    },

    close: (o: OpportunityRow, staff: CurrentUser) => step(o, 'close', staff, { status: 'closed', closedAt: now() }, 'opportunity.closed'),

    // Extends an open opportunity's closing date, or reopens a closed one with a new one; either way
    // applicants are told.
    async changeClosingTime(o: OpportunityRow, staff: CurrentUser, form: Record<string, unknown>): Promise<Result<StepOutcome>> {
      const read = readNewClosingTime(form, now());
      if (!read.ok) return read;
      const reopened = o.status === 'closed';
      const applicants = await applicantsToTell(o);
      const outcome = await step(
        o,
        'newClosingTime',
        staff,
        { status: 'open', closesAt: read.value, closedAt: null },
        reopened ? 'opportunity.reopened' : 'opportunity.extended',
        (tx, row) => tellApplicants(tx, row, applicants, reopened),
      );
      return ok(outcome);
    },

    selectionDone: (o: OpportunityRow, staff: CurrentUser) =>
      step(o, 'selectionDone', staff, { status: 'selection-done', selectionDoneAt: now() }, 'opportunity.selection-done'),
    archive: (o: OpportunityRow, staff: CurrentUser) =>
      step(o, 'archive', staff, { status: 'archived', archivedAt: now() }, 'opportunity.archived'),

    // The closing job: every open opportunity whose time has come is closed.
    async closeDue(at = now()) {
      const closed = await repo.closeDue(at);
      if (closed.length) deps.log.info({ closed: closed.map((c) => c.id) }, 'opportunities closed at their closing time');
      return closed.length;
    },
  };
}

export type OpportunitiesService = ReturnType<typeof createOpportunitiesService>;
