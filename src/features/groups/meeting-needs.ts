// What a person can ask for to take part in one meeting: one access request row per need
// (meeting_access_requests.need). Registering pre-fills them from the person's profile
// (profile access needs → meeting needs below); the words are `meetings.needs.<need>` in the
// catalogues, used by the registration form, staff's list to arrange, emails and reminders.
export const meetingNeeds = [
  'bsl-interpreter',
  'step-free',
  'hearing-loop',
  'captions',
  'large-print',
  'papers-early',
  'breaks',
  'quiet-space',
  'carer-attends',
  'dietary',
  'travel-booked',
  'other',
] as const;
export type MeetingNeed = (typeof meetingNeeds)[number];

// Needs whose `detail` says what exactly (which diet, from where to where, what else).
export const needsWithDetail: readonly MeetingNeed[] = ['dietary', 'travel-booked', 'other'];

// The profile's access needs (profile feature, accessNeedOptions) as meeting needs.
export const needFromProfile: Record<string, MeetingNeed> = {
  'step-free': 'step-free',
  'hearing-loop': 'hearing-loop',
  captions: 'captions',
  'papers-early': 'papers-early',
  breaks: 'breaks',
  'quiet-space': 'quiet-space',
  'support-person': 'carer-attends',
};
