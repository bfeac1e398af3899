import { createHash } from 'node:crypto';
import type nunjucks from 'nunjucks';
import type { Db } from '#src/db/client.ts';
import type { Config } from '#src/config.ts';
import { validateForm, type FieldErrors } from '#src/lib/forms.ts';
import type { MailService } from '#src/platform/mail/service.ts';
import type { SettingsService } from '#src/platform/settings/service.ts';
import type { AuditService } from '#src/platform/audit/service.ts';
import type { CommentsService } from '#src/features/comments/service.ts';
import type { OrganisationsService } from '#src/features/organisations/service.ts';
import type { IdentityService } from '#src/platform/identity/service.ts';
import { CONTRIBUTOR_ROLE, type CurrentUser } from '#src/platform/identity/roles.ts';
import { MAGIC_LINK_MINUTES, type MagicLinkRequest } from '#src/platform/identity/better-auth.ts';
import { createContributorsRepository, type ProfileRow, type TermRow } from './repository.ts';
import { createDiversityRepository, diversityQuestions, validateDiversity } from './diversity.ts';
import { readableProfile } from './readable-profile.ts';
import { staffNoteDates } from './register-repository.ts';
import {
  CONSENT_PURPOSE,
  AccessNeedsSchema,
  AvailabilitySchema,
  ContactSchema,
  PaymentSchema,
  DetailsSchema,
  InterestsSchema,
  LivedExperienceSchema,
  PRIVACY_NOTICE_VERSION,
  TermSchema,
  profileSteps,
  termCategories,
  type ProfileStep,
} from './schema.ts';

export type Result<T = void> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
const textOf = (opts: readonly { value: string; text: string }[], value: string) => opts.find((o) => o.value === value)?.text ?? value;

// What better-auth needs from us to start an email sign-in; set once the auth instance exists.
export type SignInStarter = (input: { email: string; name?: string; metadata: Record<string, unknown> }) => Promise<void>;

export function createContributorsService(
  db: Db,
  deps: {
    config: Config;
    mail: MailService;
    settings: SettingsService;
    audit: AuditService;
    identity: IdentityService;
    comments: CommentsService;
    organisations: Pick<OrganisationsService, 'hasAnswered' | 'organisationsOf'>;
    nunjucks: nunjucks.Environment;
  },
) {
  const repo = createContributorsRepository(db);
  const diversity = createDiversityRepository(db);
  const { config, mail, audit, identity } = deps;
  deps.nunjucks.addGlobal('contributorPrivacyVersion', PRIVACY_NOTICE_VERSION);
  let startSignIn: SignInStarter | undefined;

  const service = {
    // app.ts connects better-auth here after both exist (better-auth calls back into sendSignInLink).
    connectAuth(starter: SignInStarter) {
      startSignIn = starter;
    },

    // Joining: consent waits for the link to be followed. Same outcome for every address, so the
    // form cannot be used to learn who has an account; staff addresses are never sent a link.
    async requestJoin(input: { name: string; email: string }) {
      const existing = await identity.findAccountByEmail(input.email);
      if (existing && existing.role !== CONTRIBUTOR_ROLE) return;
      await startSignIn!({ email: input.email, name: input.name, metadata: { purpose: 'join', consentedAt: new Date().toISOString() } });
    },

    async requestSignIn(email: string) {
      const existing = await identity.findAccountByEmail(email);
      if (!existing || existing.role !== CONTRIBUTOR_ROLE) return;
      await startSignIn!({ email, metadata: { purpose: 'sign-in' } });
    },

    // Called by better-auth with the new token: we send our own email linking to our own page.
    async sendSignInLink({ email, token, metadata }: MagicLinkRequest) {
      const joining = metadata?.purpose === 'join';
      if (joining) {
        await repo.saveJoinRequest({
          tokenHash: hashToken(token),
          email,
          privacyNoticeVersion: PRIVACY_NOTICE_VERSION,
          consentedAt: typeof metadata?.consentedAt === 'string' ? new Date(metadata.consentedAt) : new Date(),
          expiresAt: new Date(Date.now() + MAGIC_LINK_MINUTES * 60_000),
        });
      }
      const org = await deps.settings.get();
      const href = `${config.baseUrl}/sign-in/continue?token=${encodeURIComponent(token)}`;
      await mail.enqueue(
        {
          to: email,
          subject: joining ? `Confirm your email address to join ${org.name}` : `Your link to sign in to ${org.name}`,
          heading: joining ? 'Confirm your email address' : 'Sign in',
          paragraphs: [
            joining
              ? `Someone, probably you, asked to join the ${org.name} contributor network with this email address.`
              : `Someone, probably you, asked for a link to sign in to ${org.name}.`,
            `The link works once and stops working after ${MAGIC_LINK_MINUTES} minutes.`,
            'If this was not you, you can ignore this email. Nothing will happen.',
          ],
          action: { text: joining ? 'Confirm and join' : 'Sign in', href },
        },
        { key: `contributor-link:${hashToken(token)}`, kind: joining ? 'contributor-join' : 'contributor-sign-in' },
      );
    },

    // After better-auth has signed someone in from a link: record what they agreed to when joining.
    async completeSignIn(user: { id: string; email: string }, token: string) {
      const request = await repo.takeJoinRequest(hashToken(token));
      await repo.ensureProfile(user.id);
      if (request && request.email === user.email) {
        await repo.addConsent({
          userId: user.id,
          purpose: CONSENT_PURPOSE,
          action: 'given',
          privacyNoticeVersion: request.privacyNoticeVersion,
          at: request.consentedAt,
        });
      }
    },

    async agreeToCurrentNotice(userId: string) {
      await repo.addConsent({ userId, purpose: CONSENT_PURPOSE, action: 'given', privacyNoticeVersion: PRIVACY_NOTICE_VERSION });
    },

    // The newest consent, and whether it covers the notice as it is now.
    async consentStatus(userId: string) {
      const [latest] = await repo.consents(userId);
      const current = !!latest && latest.action === 'given' && latest.privacyNoticeVersion === PRIVACY_NOTICE_VERSION;
      return { latest: latest ?? null, current };
    },

    async profile(userId: string): Promise<ProfileRow | null> {
      return repo.profile(userId);
    },

    async taskList(userId: string) {
      const [profile, answers, organisations] = await Promise.all([
        repo.profile(userId),
        diversity.answers(userId),
        deps.organisations.hasAnswered(userId),
      ]);
      const done: Record<string, unknown> = {
        ...(profile?.completedSteps ?? {}),
        ...(answers ? { diversity: true } : {}),
        ...(organisations ? { organisations: true } : {}),
      };
      return profileSteps.map((s) => ({ ...s, completed: !!done[s.key] }));
    },

    terms: (includeArchived = false) => repo.terms({ includeArchived }),
    chosenTerms: (userId: string) => repo.chosenTerms(userId),

    termsByCategory(terms: TermRow[]) {
      return termCategories.map((c) => ({ ...c, terms: terms.filter((t) => t.category === c.value) }));
    },

    async saveDetails(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateForm(DetailsSchema, form);
      if (!v.ok) return v;
      await db.transaction(async (tx) => {
        await identity.renameAccount(user.id, v.value.name, tx);
        await repo.saveStep(user.id, 'details', { preferredName: v.value.preferredName, phone: v.value.phone }, tx);
      });
      return { ok: true, value: undefined };
    },

    async saveContact(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateForm(ContactSchema, form);
      if (!v.ok) return v;
      const { contactMethods, formats, phone, postalAddress, interpreterLanguage } = v.value;
      const changes = { contactMethods, formats, postalAddress, interpreterLanguage, ...(phone ? { phone } : {}) };
      await repo.saveStep(user.id, 'contact', changes);
      return { ok: true, value: undefined };
    },

    async saveLivedExperience(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateForm(LivedExperienceSchema, form);
      if (!v.ok) return v;
      const ids = [...new Set(v.value.terms)];
      const found = await repo.activeTermsByIds(ids);
      if (found.length !== ids.length) return { ok: false, errors: { terms: 'Select lived experience from the list' } };
      await db.transaction(async (tx) => {
        await repo.replaceChosenTerms(user.id, ids, tx);
        await repo.saveStep(user.id, 'lived-experience', { livedExperienceNotes: v.value.notes }, tx);
      });
      return { ok: true, value: undefined };
    },

    async saveInterests(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateForm(InterestsSchema, form);
      if (!v.ok) return v;
      await repo.saveStep(user.id, 'interests', { interests: v.value.interests });
      return { ok: true, value: undefined };
    },

    async saveAvailability(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateForm(AvailabilitySchema, form);
      if (!v.ok) return v;
      await repo.saveStep(user.id, 'availability', v.value);
      return { ok: true, value: undefined };
    },

    async saveAccessNeeds(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateForm(AccessNeedsSchema, form);
      if (!v.ok) return v;
      await repo.saveStep(user.id, 'access-needs', v.value);
      return { ok: true, value: undefined };
    },

    async savePayment(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateForm(PaymentSchema, form);
      if (!v.ok) return v;
      await repo.saveStep(user.id, 'payment', v.value);
      return { ok: true, value: undefined };
    },

    // Equality monitoring is only ever read back by the person themselves; staff get aggregates.
    diversityAnswers: (userId: string) => diversity.answers(userId),
    diversitySummary: (userIds: string[]) => diversity.summary(userIds),

    async saveDiversity(user: CurrentUser, form: unknown): Promise<Result> {
      const v = validateDiversity((form ?? {}) as Record<string, unknown>);
      if (!v.ok) return v;
      await diversity.save(user.id, v.value);
      return { ok: true, value: undefined };
    },

    // Everything held about one person, for "Download my data". Staff looking at them is listed
    // from the audit trail (who and when), so the person can see it happened.
    async exportData(userId: string) {
      const account = await identity.findAccountById(userId);
      if (!account) return null;
      const [profile, terms, consents, accessLog, equality, comments, organisations, noteDates, signIn] = await Promise.all([
        repo.profile(userId),
        repo.chosenTerms(userId),
        repo.consents(userId),
        audit.list({ subject: userId }),
        diversity.answers(userId),
        deps.comments.byContributor(userId),
        deps.organisations.organisationsOf(userId),
        staffNoteDates(db, userId),
        identity.signInMethodsOf(userId),
      ]);
      const steps = profile?.completedSteps ?? {};
      return {
        exportedAt: new Date().toISOString(),
        account: {
          id: account.id,
          fullName: account.name,
          email: account.email,
          role: account.role,
          createdAt: account.createdAt.toISOString(),
        },
        profile: {
          ...readableProfile(profile),
          completedSteps: Object.fromEntries(Object.entries(steps).map(([k, at]) => [k as ProfileStep, at])),
        },
        livedExperience: {
          chosen: terms.map((t) => ({ group: textOf(termCategories, t.category), term: t.label })),
          inYourOwnWords: profile?.livedExperienceNotes ?? null,
        },
        equalityMonitoring: equality
          ? diversityQuestions
              .filter((q) => equality[q.key])
              .map((q) => ({ question: q.legend, answer: equality[q.key] === 'prefer-not-to-say' ? 'Prefer not to say' : equality[q.key] }))
          : [],
        consents: consents.map((c) => ({
          purpose: c.purpose,
          action: c.action,
          privacyNoticeVersion: c.privacyNoticeVersion,
          at: c.at.toISOString(),
          ...(c.source ? { howGiven: c.source } : {}),
        })),
        partnerOrganisations: organisations.map((o) => ({
          name: o.name,
          kind: o.kind,
          stillAPartner: o.current,
          since: o.since.toISOString(),
        })),
        comments: comments.map((c) => ({
          id: c.id,
          storyId: c.storyId,
          publishedName: c.authorName,
          comment: c.body,
          status: c.status,
          at: c.createdAt.toISOString(),
        })),
        // Staff notes stay internal, but the person is told that they exist and when they were written.
        staffNotes: noteDates.map((at) => ({ writtenByStaff: true, at: at.toISOString() })),
        signInMethods: {
          emailLink: true,
          password: signIn.password,
          passkeys: signIn.passkeys.map((k) => ({
            name: k.name ?? 'Passkey',
            kind: k.deviceType === 'multiDevice' ? 'Synced passkey' : 'Passkey on one device',
            added: k.createdAt ? k.createdAt.toISOString() : null,
          })),
        },
        recordOfAccess: accessLog.items.map((e) => ({ action: e.action, byStaff: e.actorUserId !== userId, at: e.at.toISOString() })),
      };
    },

    async recordDownload(userId: string, format: 'page' | 'json') {
      await audit.record({ actorUserId: userId, subjectUserId: userId, action: 'contributor.data-downloaded', details: { format } });
    },

    // Deletes everything that identifies the person. The confirmation email is promised in the
    // same transaction, before the address is gone, so it is sent exactly when the deletion commits.
    async deleteAccount(user: CurrentUser) {
      const org = await deps.settings.get();
      const storiesTouched = await db.transaction(async (tx) => {
        await mail.enqueue(
          {
            to: user.email,
            subject: `Your ${org.name} account has been deleted`,
            heading: 'Your account has been deleted',
            paragraphs: [
              `We have deleted your ${org.name} contributor account and the information in your profile.`,
              'We keep a record that an account was deleted, with no name or contact details, so we can show we did what you asked.',
              'If you did not ask for this, contact us.',
            ],
          },
          { key: `contributor-deleted:${user.id}`, kind: 'contributor-deleted', tx, forgetAfterSend: true },
        );
        await mail.forgetAddress(user.email, { tx, exceptKey: `contributor-deleted:${user.id}` });
        await repo.anonymiseConsents(user.id, tx);
        await repo.deleteJoinRequestsFor(user.email, tx);
        await audit.record({ actorUserId: user.id, subjectUserId: user.id, action: 'contributor.account-deleted' }, tx);
        const touched = await deps.comments.forgetContributor(user.id, tx);
        await identity.deleteAccount(user.id, tx);
        return touched;
      });
      deps.comments.commentsChanged(storiesTouched);
    },

    // The lived experience taxonomy, edited by admins.
    async addTerm(form: unknown): Promise<Result> {
      const v = validateForm(TermSchema, form);
      if (!v.ok) return v;
      if (await repo.termByLabel(v.value.category, v.value.label))
        return { ok: false, errors: { label: 'That term is already in this group' } };
      await repo.insertTerm(v.value.category, v.value.label);
      return { ok: true, value: undefined };
    },

    async renameTerm(id: number, form: unknown): Promise<Result> {
      const v = validateForm(TermSchema, form);
      if (!v.ok) return v;
      const clash = await repo.termByLabel(v.value.category, v.value.label);
      if (clash && clash.id !== id) return { ok: false, errors: { label: 'That term is already in this group' } };
      await repo.updateTerm(id, { category: v.value.category, label: v.value.label });
      return { ok: true, value: undefined };
    },

    term: (id: number) => repo.term(id),

    async setArchived(id: number, archived: boolean) {
      await repo.updateTerm(id, { archivedAt: archived ? new Date() : null });
    },
  };
  return service;
}
export type ContributorsService = ReturnType<typeof createContributorsService>;
