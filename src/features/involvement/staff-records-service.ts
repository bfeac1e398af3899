import type { Db } from '#src/db/client.ts';
import { invalid, ok, validateForm, type Result } from '#src/lib/forms.ts';
import { msg } from '#src/lib/messages.ts';
import type { FeatureContext } from '#src/platform/feature.ts';
import { CONTRIBUTOR_ROLE, type CurrentUser } from '#src/platform/identity/roles.ts';
import type { RecordRow } from './records-repository.ts';
import { createStaffRecordsRepository } from './staff-records-repository.ts';
import { DifferenceSchema, readRecordForm, UNPAID } from './staff-records-schema.ts';

const V = 'involvementStaff.admin.validation';

// Records staff write by hand ("spoke at our conference") and "what difference it made" on any
// record. The records themselves, and the register's "last involved", are the records service's.
export function createStaffRecordsService(db: Db, ctx: FeatureContext) {
  const repo = createStaffRecordsRepository(db);
  // Read when used: the records and rates services are built alongside this one.
  const services = ctx.services;

  // Records with the person's name (one query for the page, never one per row).
  async function named<T extends { record: RecordRow }>(rows: T[]) {
    const people = await services.identity.accountsByIds(rows.flatMap((r) => [r.record.userId, r.record.leadUserId]));
    return rows.map((r) => ({
      ...r,
      personName: people.get(r.record.userId)?.name ?? '',
      leadName: r.record.leadUserId ? (people.get(r.record.leadUserId)?.name ?? null) : null,
    }));
  }

  // The activity kinds a record can be paid by (mileage is an expense, not an activity).
  const activityKinds = async () => (await services.rates.kinds()).filter((k) => k.unit !== 'mile');

  // Active staff accounts, to choose the staff lead from.
  const activeStaff = async () => (await services.identity.staff.list(1, 500)).items.filter((s) => s.status === 'active');

  return {
    activityKinds,
    activeStaff,
    recent: async (limit = 100) => named(await repo.recent(limit)),
    one: async (id: number) => {
      const found = await repo.byId(id);
      return found ? (await named([found]))[0]! : null;
    },

    async add(staff: CurrentUser, form: Record<string, unknown>): Promise<Result<RecordRow>> {
      const kinds = await activityKinds();
      const kind = kinds.find((k) => k.kind === form.activityKind);
      const v = readRecordForm(form, kind?.unit === 'hour');
      const errors = v.ok ? {} : { ...v.errors };
      if (!kind && typeof form.activityKind === 'string' && form.activityKind && form.activityKind !== UNPAID)
        errors.activityKind = msg(`${V}.activityKind.missing`);
      const person = typeof form.email === 'string' && !errors.email ? await services.identity.findAccountByEmail(form.email) : null;
      if (!errors.email && person?.role !== CONTRIBUTOR_ROLE) errors.email = msg(`${V}.email.noContributor`);
      const lead = typeof form.leadUserId === 'string' && form.leadUserId ? await services.identity.staff.find(form.leadUserId) : null;
      if (!errors.leadUserId && lead?.status !== 'active') errors.leadUserId = msg(`${V}.leadUserId.missing`);
      if (!v.ok || Object.keys(errors).length || !person || !lead) return invalid(errors);
      const f = v.value;
      const saved = await db.transaction(async (tx) => {
        const record = await services.involvementRecords.add(
          {
            userId: person.id,
            source: 'manual',
            activityKind: kind?.kind ?? null,
            title: f.title,
            occurredOn: f.occurredOn,
            minutes: f.minutes,
            units: kind?.unit === 'hour' ? 1 : f.units,
            role: f.role,
            difference: f.difference,
            leadUserId: lead.id,
            createdBy: staff.id,
          },
          tx,
        );
        await services.audit.record(
          { actorUserId: staff.id, action: 'involvement.record-added', subjectUserId: person.id, details: { recordId: record.id } },
          tx,
        );
        return record;
      });
      return ok(saved);
    },

    async changeDifference(staff: CurrentUser, record: RecordRow, form: unknown): Promise<Result> {
      const v = validateForm(DifferenceSchema, form);
      if (!v.ok) return v;
      await db.transaction(async (tx) => {
        await services.involvementRecords.setDifference(record.id, v.value.difference, tx);
        await services.audit.record(
          {
            actorUserId: staff.id,
            action: 'involvement.record-changed',
            subjectUserId: record.userId,
            details: { recordId: record.id, field: 'difference' },
          },
          tx,
        );
      });
      return ok();
    },
  };
}
export type StaffRecordsService = ReturnType<typeof createStaffRecordsService>;
