import type { Deps } from '../deps';
import { idempotencyScope } from '../idempotency-scope';
import type { ShopRuntime } from '../runtime/shop-runtime';

/**
 * How many rows each table holds under the subject's own id, and whether the shop's models
 * in this process know them: what an erasure must bring to zero (R4), and what it checks
 * before it reports done. Rows kept under the hashed id (consent proofs, the request register,
 * the audit log) are not counted: they no longer carry the id.
 */
export interface Footprint {
  events: number;
  sessions: number;
  subjects: number;
  consent_records: number;
  exclusions: number;
  objections: number;
  rights_requests: number;
  identity_keys: number;
  identity_fields: number;
  /** answers kept to replay the subject's own Idempotency-Key requests (under a hash of the id) */
  idempotency_answers: number;
  models: number;
}

export async function footprint(deps: Deps, rt: ShopRuntime, subjectId: string): Promise<Footprint> {
  const shopId = rt.shop.id;
  const s = deps.store;
  const ref = { shopId, subjectId };
  const [events, sessions, subject, records, exclusions, objection, requests, key, fields, answers] =
    await Promise.all([
      s.events.listForSubject(shopId, subjectId),
      s.events.listSessions(shopId, subjectId),
      s.subjects.get(shopId, subjectId),
      s.consent.listRecords(shopId, subjectId),
      s.exclusions.list(shopId, subjectId),
      s.objections.get(shopId, subjectId),
      s.rightsRequests.listForSubject(shopId, subjectId),
      s.identity.getKey(ref),
      s.identity.getFields(ref),
      s.idempotency.countScope(shopId, idempotencyScope(shopId, { kind: 'public', subject: subjectId })),
    ]);
  return {
    events: events.length,
    sessions: sessions.length,
    subjects: subject === undefined ? 0 : 1,
    consent_records: records.length,
    exclusions: exclusions.length,
    objections: objection === undefined ? 0 : 1,
    rights_requests: requests.length,
    identity_keys: key === undefined ? 0 : 1,
    identity_fields: Object.keys(fields).length,
    idempotency_answers: answers,
    models: rt.models.holdsSubject(subjectId) ? 1 : 0,
  };
}

export const total = (f: Footprint): number => Object.values(f).reduce((a, b) => a + b, 0);

/** The parts of a footprint that are not zero, as `events=3, sessions=1`. */
export const describeFootprint = (f: Footprint): string =>
  Object.entries(f)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${k}=${n}`)
    .join(', ');
