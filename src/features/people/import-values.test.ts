import { describe, expect, it } from 'vitest';
import { eq, inArray, sql } from 'drizzle-orm';
import { buildTestApp, signedInBrowser } from '#tests/helpers/app.ts';
import { databaseKindOf } from '#src/db/client.ts';
import { msg } from '#src/lib/messages.ts';
import { user } from '#src/platform/identity/tables.ts';
import { contributorProfiles } from '#src/features/profile/tables.ts';
import { consentEvents } from '#src/features/data-rights/tables.ts';
import { contributorImports } from './tables.ts';

// Values that a text format or an array literal could mangle go into the database exactly as
// written, on both databases: quotes, backslashes, braces, commas, tabs and line breaks, the words
// that spell NULL in an array literal or in COPY's text format, and characters outside ASCII.
const HEADER = 'Name,Email,Known as,Address,Access needs,Date of consent,How consent was given';
const csvField = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const line = (...fields: string[]) => fields.map(csvField).join(',');

const people = [
  {
    name: 'Siobhán "Shiv" O\'Brien \\ {Braces}, Jr',
    email: 'quotes@example.net',
    known: 'Siân 🌈 مرحبا',
    address: 'Flat 1\tBlock "A"\r\n2 Rhodfa\'r Môr\\Back {x,y}\nCaerdydd',
    access: 'Tabs\there, \\N and \\t as written, {"json": [1, 2]} and NULL',
    how: 'Form "B" \\ NULL {x} — ymlaen',
  },
  { name: 'NULL', email: 'null-word@example.net', known: '\\N', address: 'NULL', access: '\\N', how: 'NULL' },
  { name: '\\', email: 'backslash@example.net', known: '""', address: '\\\\', access: '{}', how: '\\"' },
];

describe('importing values that are easy to mangle', async () => {
  const { app, db, database } = await buildTestApp();
  const { staff } = await signedInBrowser(app, 'involvement');
  const imports = app.services.registerImports;

  async function run(csv: string) {
    const uploaded = await imports.upload(csv, { filename: 'values.csv', staffUserId: staff.id });
    if (!uploaded.ok) throw new Error(uploaded.error);
    const draft = await imports.draftForMapping(uploaded.importId);
    expect(await imports.saveMapping(uploaded.importId, Object.fromEntries(draft!.mapping.map((c, i) => [`column-${i}`, c])))).toEqual({
      ok: true,
    });
    await db.update(contributorImports).set({ status: 'queued' }).where(eq(contributorImports.id, uploaded.importId));
    await imports.jobs.run(uploaded.importId);
    return (await imports.get(uploaded.importId))!;
  }

  it('stores every value as written, with the search fields the trigger computes', async () => {
    const csv = [HEADER, ...people.map((p) => line(p.name, p.email, p.known, p.address, p.access, '2024-02-01', p.how))].join('\r\n');
    const job = await run(csv);
    expect(job).toMatchObject({ status: 'done', importedCount: people.length, rejectedCount: 0 });

    for (const p of people) {
      const [account] = await db.select().from(user).where(eq(user.email, p.email));
      expect(account!.name).toBe(p.name);
      const [profile] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, account!.id));
      expect(profile).toMatchObject({
        preferredName: p.known,
        // Line breaks are stored as \n, as the profile form stores them.
        postalAddress: p.address.replace(/\r\n/g, '\n'),
        accessNeedsNotes: p.access,
        accountName: p.name,
        accountEmail: p.email,
        sortName: p.name.toLowerCase(),
      });
      // Touching the profile runs the trigger: the bulk insert's fields are exactly what it computes.
      await db.execute(sql`update ${contributorProfiles} set preferred_name = preferred_name where user_id = ${account!.id}`);
      const [touched] = await db.select().from(contributorProfiles).where(eq(contributorProfiles.userId, account!.id));
      expect(touched).toEqual(profile);
      const [consent] = await db.select().from(consentEvents).where(eq(consentEvents.userId, account!.id));
      expect(consent!.source).toBe(p.how);
    }
  });

  it('refuses a file holding a NUL at upload, and a row with a control character its field allows none of', async () => {
    const withNul = [HEADER, line('Nul Name', 'nul@example.net', '', 'Flat\u00001', '', '2024-02-01', 'Form')].join('\n');
    expect(await imports.upload(withNul, { filename: 'nul.csv', staffUserId: staff.id })).toEqual({
      ok: false,
      error: msg('jobs.admin.file.notCsv'),
    });
    const csv = [
      HEADER,
      line('Bell Address', 'bell-address@example.net', '', 'Flat\u00071', '', '2024-02-01', 'Form'),
      line('Escape Notes', 'escape-notes@example.net', '', '', 'Needs\u001bthis', '2024-02-01', 'Form'),
      line('Tab\tName', 'tab-name@example.net', '', '', '', '2024-02-01', 'Form'),
      line('Tab Source', 'tab-source@example.net', '', '', '', '2024-02-01', 'Form\tB'),
    ].join('\n');
    const job = await run(csv);
    expect(job).toMatchObject({ status: 'done', importedCount: 0, rejectedCount: 4 });
    expect(job.rejected.map((r) => r.reason)).toEqual(
      ['addressCharacters', 'accessNeedsCharacters', 'nameCharacters', 'consentSourceCharacters'].map((k) =>
        msg(`people.admin.import.reasons.${k}`),
      ),
    );
    const emails = [
      'nul@example.net',
      'bell-address@example.net',
      'escape-notes@example.net',
      'tab-name@example.net',
      'tab-source@example.net',
    ];
    expect(await db.select().from(user).where(inArray(user.email, emails))).toHaveLength(0);
  });

  it('tells PGlite from PostgreSQL by the db alone, as the import runner does to choose its chunks per transaction', () => {
    expect(databaseKindOf(db)).toBe(database.kind);
  });
});
