import { z } from 'zod';

// Every setting the server reads from its environment, in one place. Development gets lenient
// defaults so `npm start` works on a fresh clone; production refuses to start without a real secret.
const boolish = z.enum(['true', 'false', '1', '0', 'yes', 'no', '']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  BASE_URL: z.url().optional(),
  DATA_DIR: z.string().default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must start with postgres:// or postgresql://')
    .optional(),
  SMTP_URL: z.string().optional(),
  // Shared counters (password guesses per account) for several instances; one instance needs none.
  REDIS_URL: z.string().optional(),
  // The sender's address ("news@example.org"); the name people see is the organisation's, from the
  // settings, unless written here ("Riverside News <news@example.org>").
  MAIL_FROM: z.string().optional(),
  AUTH_SECRET: z.string().min(32, 'AUTH_SECRET must be at least 32 characters').optional(),
  SEED_DEMO: boolish.default(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Human-readable lines (pretty) or JSON. Unset: pretty in development on a terminal, else JSON.
  LOG_FORMAT: z.enum(['json', 'pretty', '']).optional(),
  TRUST_PROXY: boolish.default(false),
  // A public form (a comment, an organisation's registration) sent sooner than this after its page
  // was served is taken for a script and refused with a friendly "please check and send again".
  FORM_MIN_FILL_SECONDS: z.coerce.number().min(0.5).max(60).default(3),
  // Newsletter messages per second (0: as fast as the SMTP server accepts them).
  NEWSLETTER_RATE: z.coerce.number().min(0).default(0),
  // Applications to an opportunity are erased this many months after it is archived (counts kept).
  APPLICATION_RETENTION_MONTHS: z.coerce.number().int().min(1).max(120).default(12),
  // Access needs given for one meeting are deleted this many days after it ends.
  MEETING_ACCESS_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Bearer token the mail provider sends to POST /newsletter/bounces; unset turns that endpoint off.
  BOUNCE_WEBHOOK_SECRET: z.union([z.literal(''), z.string().min(16, 'BOUNCE_WEBHOOK_SECRET must be at least 16 characters')]).optional(),
  // Encrypts bank details at rest when the organisation collects them (a setting): 32 random
  // bytes as 64 hex characters or base64. Unset: bank details cannot be collected.
  BANK_DETAILS_KEY: z
    .string()
    .refine(
      (v) => v === '' || /^[0-9a-fA-F]{64}$/.test(v) || Buffer.from(v, 'base64').length === 32,
      'BANK_DETAILS_KEY must be 32 bytes, as 64 hex characters or base64',
    )
    .optional(),
  // Uploaded files (story images): on disk under DATA_DIR/media, or in an S3-compatible bucket.
  STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.url().optional(),
  S3_BUCKET: z.string().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
});

export type S3Config = { endpoint: string; bucket: string; region: string; accessKeyId: string; secretAccessKey: string };

export type Config = {
  env: 'development' | 'production' | 'test';
  isProduction: boolean;
  port: number;
  host: string;
  baseUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  smtpUrl: string | undefined;
  redisUrl: string | undefined;
  mailFrom: string;
  // Whether MAIL_FROM was set: production warns admins while it is not (mail from no-reply@localhost).
  mailFromSet: boolean;
  authSecret: string;
  seedDemo: boolean;
  logLevel: string;
  logFormat: 'json' | 'pretty' | undefined;
  trustProxy: boolean;
  formMinFillMs: number;
  newsletterRate: number;
  applicationRetentionMonths: number;
  meetingAccessRetentionDays: number;
  bounceWebhookSecret: string | undefined;
  // The key for bank details (32 bytes), or undefined when none is set.
  bankDetailsKey: Buffer | undefined;
  storage: { driver: 'local' } | { driver: 's3'; s3: S3Config };
};

// A fixed development secret keeps sessions alive across restarts on a developer's machine.
// It is public, so production refuses it.
const DEV_SECRET = 'coproduce-development-secret-do-not-use-in-production';

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid environment:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';
  if (isProduction && !e.AUTH_SECRET) {
    throw new ConfigError('AUTH_SECRET must be set (32+ random characters) when NODE_ENV=production');
  }
  const baseUrl = (e.BASE_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return {
    env: e.NODE_ENV,
    isProduction,
    port: e.PORT,
    host: e.HOST,
    baseUrl,
    dataDir: e.DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    smtpUrl: e.SMTP_URL || undefined,
    redisUrl: e.REDIS_URL || undefined,
    mailFrom: e.MAIL_FROM?.trim() || 'no-reply@localhost',
    mailFromSet: !!e.MAIL_FROM?.trim(),
    authSecret: e.AUTH_SECRET ?? DEV_SECRET,
    seedDemo: e.SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    logFormat: e.LOG_FORMAT || undefined,
    trustProxy: e.TRUST_PROXY,
    formMinFillMs: Math.round(e.FORM_MIN_FILL_SECONDS * 1000),
    newsletterRate: e.NEWSLETTER_RATE,
    applicationRetentionMonths: e.APPLICATION_RETENTION_MONTHS,
    meetingAccessRetentionDays: e.MEETING_ACCESS_RETENTION_DAYS,
    bounceWebhookSecret: e.BOUNCE_WEBHOOK_SECRET || undefined,
    bankDetailsKey: e.BANK_DETAILS_KEY
      ? Buffer.from(e.BANK_DETAILS_KEY, /^[0-9a-fA-F]{64}$/.test(e.BANK_DETAILS_KEY) ? 'hex' : 'base64')
      : undefined,
    storage: storageConfig(e),
  };
}

function storageConfig(e: z.infer<typeof EnvSchema>): Config['storage'] {
  if (e.STORAGE_DRIVER === 'local') return { driver: 'local' };
  const { S3_ENDPOINT: endpoint, S3_BUCKET: bucket, S3_ACCESS_KEY_ID: accessKeyId, S3_SECRET_ACCESS_KEY: secretAccessKey } = e;
  if (!endpoint || !bucket || !accessKeyId || !secretAccessKey) {
    throw new ConfigError('STORAGE_DRIVER=s3 needs S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY');
  }
  return { driver: 's3', s3: { endpoint: endpoint.replace(/\/+$/, ''), bucket, region: e.S3_REGION, accessKeyId, secretAccessKey } };
}
