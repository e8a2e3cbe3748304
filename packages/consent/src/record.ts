import { newId, own } from '@vitrine/contracts';
import { type CompiledPolicy, categoriesFor, categoryStorage } from '@vitrine/policy';
import type { ConsentRecord, ConsentState } from './schema';

/** What a record adds to the new state: the event, its method and the GPC circumstances. */
export type RecordEvent = Pick<
  ConsentRecord,
  'event_type' | 'method' | 'gpc' | 'withdrawn_purposes' | 'notice'
>;

/** Builds the C10 record of a new state: everything needed to prove what was agreed to. */
export function buildRecord(
  compiled: CompiledPolicy,
  state: ConsentState,
  event: RecordEvent,
  now: number,
  id: string = newId('consent'),
): ConsentRecord {
  const { policy } = compiled;
  const purposes = Object.keys(state.purposes)
    .filter((p) => own(state.purposes, p) === true)
    .sort();
  const granted = new Set(purposes);
  const categories = [...categoriesFor(compiled, purposes)].sort();
  const retention: Record<string, string> = {};
  for (const c of categories) {
    const storage = categoryStorage(compiled, c, (p) => granted.has(p));
    retention[c] =
      storage.allowed && !storage.sessionOnly
        ? (own(policy.categories, c)?.retention ?? 'session')
        : 'session';
  }
  const recipientIds = [
    ...new Set(purposes.flatMap((p) => own(policy.purposes, p)?.recipients ?? [])),
  ].sort();
  const lang = event.notice.language;
  return {
    id,
    subject_id: state.subjectId,
    notice: event.notice,
    event_type: event.event_type,
    state: state.dpvState,
    method: event.method,
    level: state.level,
    purposes,
    withdrawn_purposes: event.withdrawn_purposes,
    data_categories: categories,
    retention,
    controller: {
      name: policy.controller.name,
      address: policy.controller.address,
      email: policy.controller.email,
    },
    recipients: recipientIds.flatMap((r) => {
      const rec = own(policy.recipients, r);
      return rec === undefined ? [] : [{ id: r, name: rec.name, country: rec.country }];
    }),
    withdrawal_method: { text: policy.withdrawal.text[lang], path: policy.withdrawal.path },
    event_time: new Date(now).toISOString(),
    valid_until: state.validUntil === null ? null : new Date(state.validUntil).toISOString(),
    gpc: event.gpc,
    purpose_scopes: state.purposeScopes,
  };
}
