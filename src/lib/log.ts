// The logger every service and job is given (Fastify's pino logger fits it).
export type Log = {
  error: (obj: unknown, msg?: string) => void;
  warn: (obj: unknown, msg?: string) => void;
  info: (obj: unknown, msg?: string) => void;
};
