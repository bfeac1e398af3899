import { Browser, type TestApp } from '#tests/helpers/app.ts';

let counter = 0;

// A complete, valid registration; override any field.
export function registration(over: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  counter++;
  return {
    name: `Test Carers Group ${counter}-${Math.random().toString(36).slice(2, 7)}`,
    kind: 'charity',
    description: 'We support unpaid carers with advice and a weekly drop-in.',
    area: 'Leeds',
    website: 'https://carers.example.org',
    contactName: 'Jo Bloggs',
    contactRole: 'Chair',
    contactEmail: `contact-${counter}@example.org`,
    contactPhone: '',
    consent: 'yes',
    ...over,
  };
}

// Loads the form (for its CSRF token and stamp) and sends it, as a visitor would.
export async function register(app: TestApp['app'], fields: Record<string, string | string[]>, browser = new Browser(app)) {
  return browser.submit('/organisations/register', '/organisations/register', fields);
}
