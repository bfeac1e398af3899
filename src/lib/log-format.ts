import type { Writable } from 'node:stream';

// How the server writes its log: JSON lines (for log collectors) everywhere but a developer's
// terminal, where one readable line per event is easier to follow. LOG_FORMAT decides when set;
// production and tests always get JSON.
export function wantsPrettyLog(opts: { env: string; logFormat: 'json' | 'pretty' | undefined; isTTY: boolean }): boolean {
  if (opts.env !== 'development') return false;
  return opts.logFormat ? opts.logFormat === 'pretty' : opts.isTTY;
}

// pino-pretty is a development dependency: `npm ci --omit=dev` leaves it out, so it is loaded only
// when wanted and its absence means JSON, never a failed start.
export async function prettyLogStream(load: () => Promise<unknown> = () => import('pino-pretty')): Promise<Writable | null> {
  try {
    const mod = (await load()) as { default: (opts: Record<string, unknown>) => Writable };
    return mod.default({ translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: true });
  } catch {
    return null;
  }
}
