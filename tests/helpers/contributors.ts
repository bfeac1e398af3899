import { expect } from 'vitest';
import { Browser, type TestApp } from './app.ts';
import { waitFor, type Sink } from './smtp.ts';

// The link in the newest email delivered to an address, read off the real SMTP wire.
export async function linkEmailedTo(sink: Sink, email: string, after = 0) {
  const message = await waitFor(() => sink.to(email)[after]);
  const parsed = await sink.parse(message);
  const url = /https?:\/\/[^\s"<>]+\/sign-in\/continue\?token=[A-Za-z0-9_-]+/.exec(parsed.text ?? '')?.[0];
  if (!url) throw new Error(`no sign-in link in: ${parsed.text}`);
  return { parsed, path: new URL(url).pathname + new URL(url).search };
}

// Joins through /join, follows the emailed link and presses Continue: a signed-in contributor
// (who would see the welcome page next).
export async function joinedContributor(
  app: TestApp['app'],
  sink: Sink,
  name = 'Alex Contributor',
  email = `c-${Math.random().toString(36).slice(2)}@example.net`,
) {
  const browser = new Browser(app);
  const res = await browser.submit('/join', '/join', { name, email, consent: 'yes' });
  expect(res.statusCode).toBe(303);
  const { path } = await linkEmailedTo(sink, email);
  const done = await browser.submit(path, '/sign-in/continue', {});
  expect(done.statusCode).toBe(303);
  expect(done.headers.location).toBe('/profile/welcome');
  const account = await app.services.identity.findAccountByEmail(email);
  return { browser, email, name, id: account!.id };
}
