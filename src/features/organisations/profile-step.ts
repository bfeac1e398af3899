import type { FastifyInstance, FastifyReply } from 'fastify';
import { errorSummary, trimmed, type FieldErrors } from '#src/lib/forms.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { requireContributor } from '#src/platform/identity/plugin.ts';
import { msg } from '#src/lib/messages.ts';
import { kindKey } from './schema.ts';

// The contributor profile step "Organisations you belong to". The profile feature lists it in the
// task list (this feature's manifest registers it); its page, rules and data live here.
export default async function organisationsProfileStep(app: FastifyInstance) {
  const { organisations, profile } = app.services;
  app.addHook('onRequest', requireContributor);
  const me = (req: { currentUser: CurrentUser | null }) => req.currentUser!;

  async function render(reply: FastifyReply, user: CurrentUser, chosen: string[] | null, errors: FieldErrors = {}, status = 200) {
    const step = await organisations.membershipStep(user.id);
    const selected = chosen ?? (step.chosen.length ? step.chosen.map(String) : step.answered ? ['none'] : []);
    const { t } = reply.request.tr;
    const items = [
      ...step.choices.map((o) => ({
        value: String(o.id),
        text: o.name,
        hint: { text: t('organisations.profileStep.choiceHint', { kind: t(kindKey(o.kind)), area: o.area }) },
        checked: selected.includes(String(o.id)),
      })),
      ...(step.choices.length ? [{ divider: t('organisations.profileStep.or') }] : []),
      { value: 'none', text: t('organisations.profileStep.none'), behaviour: 'exclusive', checked: selected.includes('none') },
    ];
    return reply.render(
      'organisations/views/profile-step.njk',
      {
        pageTitle: msg('organisations.profileStep.heading'),
        items,
        hasChoices: step.choices.length > 0,
        errors,
        errorList: errorSummary(errors, ['organisations']),
      },
      status,
    );
  }

  app.get('/profile/organisations', async (req, reply) => render(reply, me(req), null));

  app.post('/profile/organisations', async (req, reply) => {
    const form = trimmed(req.body);
    const before = await profile.stepsLeft(me(req).id);
    const result = await organisations.saveMemberships(me(req).id, form);
    if (!result.ok) {
      const raw = form.organisations;
      const chosen = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v): v is string => typeof v === 'string');
      return render(reply, me(req), chosen, result.errors, 400);
    }
    if (result.value.empty) await profile.markSkipped(me(req).id, 'organisations');
    return reply.redirect(await profile.afterStepSaved(me(req).id, before, 'organisations'), 303);
  });
}
