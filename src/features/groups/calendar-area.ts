import type { FeatureArea } from '#src/platform/feature.ts';

// Calendar files, subscription feeds and reminders (README "Calendars and reminders").
export const calendarArea: FeatureArea = {};
