// The version of the contributor part of the privacy notice (/privacy#contributors). Change it
// whenever that text changes: everyone who agreed to an older version is asked again.
export const PRIVACY_NOTICE_VERSION = '2026-11-contributors-1';
export const CONSENT_PURPOSE = 'contributor-network';
