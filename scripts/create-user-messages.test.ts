import { describe, expect, it } from 'vitest';
import { loadConfig } from '#src/config.ts';
import { publicNameLine, signInLine } from './create-user-messages.ts';

const lineFor = (env: NodeJS.ProcessEnv) => signInLine(loadConfig({ NODE_ENV: 'test', ...env }), env);

describe('what user:create prints', () => {
  it('gives the sign-in address from BASE_URL, or else from PORT', () => {
    expect(lineFor({ BASE_URL: 'https://involve.example.org/' })).toBe('Sign in at https://involve.example.org/sign-in');
    expect(lineFor({ PORT: '4321' })).toBe('Sign in at http://localhost:4321/sign-in');
  });

  it('says the default address is only a default when neither is set', () => {
    const line = lineFor({});
    expect(line).toContain('http://localhost:3000/sign-in');
    expect(line).toContain('if the server runs with its own BASE_URL or PORT');
  });

  it('warns that the name is shown on public replies', () => {
    expect(publicNameLine('Amira Okafor', 'Involvement lead')).toContain('"Amira Okafor", Involvement lead, is shown on the public site');
  });
});
