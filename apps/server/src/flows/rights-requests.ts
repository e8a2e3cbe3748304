import { newId, type RightsRequestOut, type RightsRequestsResponse } from '@vitrine/contracts';
import { addDuration } from '@vitrine/policy';
import type { RightsRequestKind, RightsRequestProof, RightsRequestRow } from '@vitrine/storage';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';

/** R1: a request is answered within one month of its receipt (Art. 12(3)). */
export const DEADLINE = 'P1M';

/** The register row of a request received now (for a caller that stores it in a transaction of its own). */
export function newRequest(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  kind: RightsRequestKind,
  proof: RightsRequestProof,
  detail: Record<string, string | number | boolean | null> = {},
): RightsRequestRow {
  const now = deps.clock.now();
  return {
    shopId: rt.shop.id,
    id: newId('request'),
    subjectId,
    kind,
    receivedAt: now,
    deadlineAt: addDuration(now, DEADLINE),
    completedAt: null,
    proof,
    detail: Object.keys(detail).length > 0 ? JSON.stringify(detail) : null,
  };
}

/** The request in the audit log (D5), once it is stored. */
export async function auditRequest(deps: Deps, row: RightsRequestRow): Promise<void> {
  const detail =
    row.detail === null ? {} : (JSON.parse(row.detail) as Record<string, string | number | boolean | null>);
  await deps.audit.record(row.shopId, 'rights_request', row.subjectId, {
    request: row.id,
    kind: row.kind,
    proof: row.proof,
    received: new Date(row.receivedAt).toISOString(),
    completed: row.completedAt === null ? null : new Date(row.completedAt).toISOString(),
    ...detail,
  });
}

/**
 * Runs `work` as one rights request answered at once: the work first, then the request in the
 * register (received when it came in, completed now) and in the audit log, one write each. A
 * request whose work fails is answered with the error and not registered: nothing was done.
 * Requests that take time (an erasure) are opened first and completed later instead.
 */
export async function asRequest<T>(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  kind: RightsRequestKind,
  proof: RightsRequestProof,
  work: (request: RightsRequestRow) => Promise<T>,
  detail: Record<string, string | number | boolean | null> = {},
): Promise<T> {
  const request = newRequest(deps, rt, subjectId, kind, proof, detail);
  const out = await work(request);
  const done = { ...request, completedAt: deps.clock.now() };
  await deps.store.rightsRequests.add(done);
  await auditRequest(deps, done);
  return out;
}

export function requestOut(r: RightsRequestRow, now: number): RightsRequestOut {
  const iso = (t: number) => new Date(t).toISOString();
  return {
    id: r.id,
    subject: r.subjectId,
    kind: r.kind,
    proof: r.proof,
    received: iso(r.receivedAt),
    deadline: iso(r.deadlineAt),
    completed: r.completedAt === null ? null : iso(r.completedAt),
    overdue: (r.completedAt ?? now) > r.deadlineAt,
  };
}

/** The shop's register of rights requests, newest first, each with its deadline (R1). */
export async function listRequests(
  deps: Deps,
  rt: ShopRuntime,
  limit: number,
): Promise<RightsRequestsResponse> {
  const now = deps.clock.now();
  const rows = await deps.store.rightsRequests.list(rt.shop.id, { limit });
  return { requests: rows.map((r) => requestOut(r, now)) };
}
