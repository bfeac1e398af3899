import { describe, expect, it } from 'vitest';
import { Browser, buildTestApp } from '#tests/helpers/app.ts';
import { seedDemoOrganisations } from './demo.ts';
import { organisations } from './tables.ts';

describe('demo partner organisations', async () => {
  const { app, db } = await buildTestApp();

  it('adds approved partners and one waiting for a decision; only approved ones are public', async () => {
    await seedDemoOrganisations(db);
    await seedDemoOrganisations(db);
    const rows = await db.select().from(organisations);
    expect(rows.filter((o) => o.status === 'approved').length).toBeGreaterThanOrEqual(3);
    expect(rows.filter((o) => o.status === 'pending')).toHaveLength(1);
    const list = await new Browser(app).get('/organisations');
    expect(list.statusCode).toBe(200);
    for (const o of rows) {
      if (o.status === 'approved') expect(list.body).toContain(o.name.replace("'", '&#39;'));
      else expect(list.body).not.toContain(o.name);
    }
    // The one that registered in Welsh has its description marked as Welsh on the English page.
    expect(list.body).toContain('<p lang="cy">Pobl leol sy’n cwrdd bob pythefnos');
  });
});
