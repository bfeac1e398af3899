import type { Db } from '#src/db/client.ts';
import { invalid, ok, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import type { CurrentUser } from '#src/platform/identity/roles.ts';
import { rateOn } from './money.ts';
import { createRatesRepository, type RateRow } from './rates-repository.ts';
import { readRateForm } from './rates-schema.ts';
import { londonToday } from './review-dates.ts';
import type { RateUnit } from './tables.ts';

const V = 'rates.admin.validation';

// A kind of activity on the rate card, as other forms offer it (a record's kind, say).
export type RateKind = { kind: string; name: string; unit: RateUnit };

// The rate card, grouped for its page: each kind with the row in force today marked, and the
// rest of its history (future rows first, then past ones).
export type RateCardKind = RateKind & { rows: (RateRow & { current: boolean; future: boolean })[] };

const isUniqueViolation = (err: unknown) => {
  for (let e = err as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) if (e.code === '23505') return true;
  return false;
};

// The rate card: admins add rows; a change is a new row with a later date, so a claim priced by a
// row never changes. A row in force (its date today or past) stays for ever; a future one may go.
export function createRatesService(db: Db, ctx: FeatureContext) {
  const repo = createRatesRepository(db);
  const { audit } = ctx.services;

  return {
    all: () => repo.all(),

    // Distinct kinds with the name and unit of their latest row, by name.
    async kinds(): Promise<RateKind[]> {
      const seen = new Map<string, RateKind>();
      for (const r of await repo.all()) if (!seen.has(r.kind)) seen.set(r.kind, { kind: r.kind, name: r.name, unit: r.unit });
      return [...seen.values()].sort((a, b) => a.name.localeCompare(b.name));
    },

    async card(now = new Date()): Promise<RateCardKind[]> {
      const today = londonToday(now);
      const rows = await repo.all();
      const byKind = new Map<string, RateRow[]>();
      for (const r of rows) byKind.set(r.kind, [...(byKind.get(r.kind) ?? []), r]);
      return [...byKind.values()]
        .map((list) => {
          const current = rateOn(list, list[0]!.kind, today);
          return {
            kind: list[0]!.kind,
            name: (current ?? list[0]!).name,
            unit: list[0]!.unit,
            rows: list.map((r) => ({ ...r, current: r.id === current?.id, future: r.effectiveFrom > today })),
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    },

    async add(admin: CurrentUser, form: Record<string, unknown>, now = new Date()): Promise<Result<RateRow>> {
      const v = readRateForm(form, now);
      if (!v.ok) return v;
      const fields = v.value;
      const existing = await repo.ofKind(fields.kind);
      if (existing.length && existing[0]!.unit !== fields.unit)
        return invalid({ unit: msg(`${V}.unit.differs`, { kind: fields.kind, unit: existing[0]!.unit }) });
      if (existing.some((r) => r.effectiveFrom === fields.effectiveFrom))
        return invalid({ effectiveFrom: msg(`${V}.effectiveFrom.taken`) });
      try {
        return ok(
          await db.transaction(async (tx) => {
            const saved = await repo.insert({ ...fields, createdBy: admin.id }, tx);
            await audit.record(
              {
                actorUserId: admin.id,
                action: 'rate.added',
                details: {
                  rateId: saved.id,
                  kind: saved.kind,
                  unit: saved.unit,
                  amountPence: saved.amountPence,
                  effectiveFrom: saved.effectiveFrom,
                },
              },
              tx,
            );
            return saved;
          }),
        );
      } catch (err) {
        // Two admins adding the same kind and date at once: the unique index says so.
        if (isUniqueViolation(err)) return invalid({ effectiveFrom: msg(`${V}.effectiveFrom.taken`) });
        throw err;
      }
    },

    // Only a row that has not yet come into force, and that no claim has used.
    async removeFuture(admin: CurrentUser, id: number, now = new Date()): Promise<Result> {
      return db.transaction(async (tx) => {
        const row = await repo.byId(id, tx);
        if (!row) return invalid({ form: msg(`${V}.remove.gone`) });
        if (row.effectiveFrom <= londonToday(now) || (await repo.isUsed(id, tx))) return invalid({ form: msg(`${V}.remove.inForce`) });
        await repo.delete(id, tx);
        await audit.record(
          {
            actorUserId: admin.id,
            action: 'rate.removed',
            details: { rateId: row.id, kind: row.kind, amountPence: row.amountPence, effectiveFrom: row.effectiveFrom },
          },
          tx,
        );
        return ok();
      });
    },
  };
}
export type RatesService = ReturnType<typeof createRatesService>;
