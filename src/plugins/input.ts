import fp from 'fastify-plugin';

// Control characters have no place in anything a person types: PostgreSQL refuses NUL in text
// (a 500 for every form and query that stored or searched it), and the rest are invisible tricks.
// Tab, newline and carriage return stay (text areas need them; single-line fields are trimmed and
// checked by their schemas). Everything else from U+0000–U+001F, U+007F and U+0080–U+009F goes.
// eslint-disable-next-line no-control-regex
const unwanted = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
const unwantedEverywhere = new RegExp(unwanted.source, 'g');

// Cleans strings in place (objects and arrays keep their identity and prototype), so a field
// holding "a\u0000b" becomes "ab" wherever it is nested.
export function withoutControlCharacters<T>(value: T, depth = 0): T {
  if (typeof value === 'string') return (unwanted.test(value) ? value.replace(unwantedEverywhere, '') : value) as T;
  if (depth > 8 || value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const cleaned = withoutControlCharacters(record[key], depth + 1);
    if (unwanted.test(key)) {
      delete record[key];
      record[key.replace(unwantedEverywhere, '')] = cleaned;
    } else if (cleaned !== record[key]) record[key] = cleaned;
  }
  return value;
}

// One place for every form, query and address of every feature, present and future: the hook runs
// after the body is parsed and before any route (or the CSRF check) sees it, so no field can forget.
export default fp(
  async (app) => {
    app.addHook('preValidation', async (req) => {
      // Node refuses raw control characters in a request line, so only a percent-encoded one can
      // reach the query or the path's parameters.
      if (req.url.includes('%')) {
        withoutControlCharacters(req.query);
        withoutControlCharacters(req.params);
      }
      if (req.body !== undefined && req.body !== null) req.body = withoutControlCharacters(req.body);
    });
  },
  { name: 'input' },
);
