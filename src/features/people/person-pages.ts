import { notFound } from '#src/lib/errors.ts';
import { stepPages } from '#src/features/profile/step-pages.ts';

// What the pages about one person share: reading the person's id from the address, and which
// profile steps staff may change on their behalf (every one but equality monitoring, which only
// the person ever sees).
export const parsePersonId = (raw: string) => {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(raw)) throw notFound('person');
  return raw;
};

export const editableSteps = new Map(stepPages.filter((p) => !p.path.endsWith('/diversity')).map((p) => [p.path.split('/').pop()!, p]));
export const editableStepKeys = [...editableSteps.keys()];
export const stepTitles = new Map([...editableSteps].map(([key, page]) => [key, page.pageTitle]));
