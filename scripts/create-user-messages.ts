import type { Config } from '#src/config.ts';

// Where to sign in, from the same settings the server reads: BASE_URL, or else PORT. When neither
// is set the default may not be where the server runs (it may have been started with its own
// PORT), so the line says how to get the right one rather than print a wrong address as fact.
export function signInLine(config: Pick<Config, 'baseUrl'>, env: NodeJS.ProcessEnv): string {
  const address = `${config.baseUrl}/sign-in`;
  if (env.BASE_URL || env.PORT) return `Sign in at ${address}`;
  return `Sign in at ${address} (the default address: if the server runs with its own BASE_URL or PORT, sign in there, or run this command with the same settings to see it here)`;
}

// The name is public: it signs every reply the person publishes (issue 9).
export const publicNameLine = (name: string, jobTitle: string | undefined) =>
  `"${name}"${jobTitle ? `, ${jobTitle},` : ''} is shown on the public site with every reply this person publishes; change it in the staff area if needed.`;
