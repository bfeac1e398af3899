import type { Feature } from '#src/platform/feature.ts';
import { createProfileService, termLabel, type ProfileService } from './service.ts';
import profileRoutes from './routes.ts';
import livedExperienceTermsRoutes from './terms-routes.ts';
import { seedDemoContributors, seedLivedExperienceTerms } from './demo.ts';
import { readableProfile } from './readable-profile.ts';
import { diversityAnswerText, diversityQuestions, diversityQuestionText } from './diversity.ts';
import { profileSteps } from './schema.ts';
import { isLang } from '#src/lib/i18n.ts';
import { contributorLivedExperience, contributorProfiles, diversityMonitoring } from './tables.ts';

declare module '#src/platform/services.ts' {
  interface Services {
    profile: ProfileService;
  }
}

// A contributor's profile: the task list and its steps, lived experience (from a taxonomy admins
// edit), equality monitoring kept apart, and the reads staff search the register with.
export const profileFeature: Feature = {
  name: 'profile',
  services: (ctx) => ({ profile: createProfileService(ctx.db, ctx) }),
  async routes(app) {
    await app.register(profileRoutes);
    await app.register(livedExperienceTermsRoutes);
  },
  adminLinks: [
    {
      href: '/admin/lived-experience',
      order: 70,
      text: 'nav.profile.admin.terms.text',
      description: 'nav.profile.admin.terms.description',
      adminOnly: true,
    },
  ],
  profileSteps: {
    steps: profileSteps,
    completed: ({ services }, userId) => services.profile.completedSteps(userId),
  },
  // A signed-in person who chooses a language (?lang=) keeps it: their emails follow it.
  async ready({ services, log }) {
    services.events.on('language.chosen', (userId, lang) => {
      services.profile.saveLanguage(userId, lang).catch((err: unknown) => log.error({ err }, 'could not store the chosen language'));
    });
  },
  async seed({ db, services }) {
    await seedLivedExperienceTerms(db);
    await seedDemoContributors(db, services);
  },
  // Rows go with the account (foreign keys cascade), so nothing needs erasing by hand.
  personalData: {
    tables: [contributorProfiles, contributorLivedExperience, diversityMonitoring],
    // In the person's own language (the one they chose; English until they choose).
    async export({ services, i18n }, userId) {
      const [profile, terms, equality] = await Promise.all([
        services.profile.profile(userId),
        services.profile.chosenTerms(userId),
        services.profile.diversityAnswers(userId),
      ]);
      const language = isLang(profile?.language) ? profile.language : null;
      const tr = i18n.translator(language);
      return {
        profile: {
          ...readableProfile(profile, tr),
          language,
          completedSteps: profile?.completedSteps ?? {},
          skippedSteps: profile?.skippedSteps ?? {},
        },
        livedExperience: {
          chosen: terms.map((t) => ({ group: tr.t(`profile.options.termCategories.${t.category}`), term: termLabel(t, tr.lang) })),
          inYourOwnWords: profile?.livedExperienceNotes ?? null,
        },
        equalityMonitoring: equality
          ? diversityQuestions
              .filter((q) => equality[q.key])
              .map((q) => ({ question: diversityQuestionText(tr, q.key), answer: diversityAnswerText(tr, q.key, equality[q.key]!) }))
          : [],
      };
    },
    sections: [
      { template: 'profile/views/_my-data-profile.njk', order: 20 },
      { template: 'profile/views/_my-data-lived-experience.njk', order: 30 },
      { template: 'profile/views/_my-data-equality.njk', order: 40 },
    ],
  },
};
