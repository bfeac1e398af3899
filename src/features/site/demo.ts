import type { SiteSettings } from '#src/platform/settings/service.ts';

// The demo organisation a newcomer sees on first start. Invented; any likeness is coincidence.
export const demoSettings: SiteSettings = {
  name: 'Riverside Health Insight',
  welcome:
    'We are an independent health think-tank. We want the people who use health and care services to shape what we study, what we say and how we work. Read how that is going, tell us what you think, and get involved.',
  translations: {
    cy: {
      welcome:
        "Melin drafod iechyd annibynnol ydyn ni. Rydyn ni am i'r bobl sy'n defnyddio gwasanaethau iechyd a gofal lywio'r hyn rydyn ni'n ei astudio, yr hyn rydyn ni'n ei ddweud a sut rydyn ni'n gweithio. Darllenwch sut mae hynny'n mynd, dywedwch wrthym beth rydych chi'n ei feddwl, a chymerwch ran.",
    },
  },
  moderation: 'all',
  moderationEmail: '',
};
