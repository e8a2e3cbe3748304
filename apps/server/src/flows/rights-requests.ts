import { newId, type RightsRequestOut, type RightsRequestsResponse } from '@vitrine/contracts';
import { addDuration } from '@vitrine/policy';
import type { RightsRequestKind, RightsRequestProof, RightsRequestRow } from '@vitrine/storage';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';

/** R1: a request is answered within one month of its receipt (Art. 12(3)). */
export const DEADLINE = 'P1M';

/**
 * Records a rights request as received (R1): the register row with its deadline, and the
 * audit entry (D5). Call `completeRequest` when it is done.
 */
export async function openRequest(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  kind: RightsRequestKind,
  proof: RightsRequestProof,
  detail: Record<string, string | number | boolean | null> = {},
): Promise<RightsRequestRow> {
  const now = deps.clock.now();
  const row: RightsRequestRow = {
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
  await deps.store.rightsRequests.add(row);
  await deps.audit.record(rt.shop.id, 'rights_request', subjectId, {
    request: row.id,
    kind,
    proof,
    ...detail,
  });
  return row;
}

/** Marks the request answered, and says so in the audit log. */
export async function completeRequest(
  deps: Deps,
  rt: ShopRuntime,
  request: Pick<RightsRequestRow, 'id' | 'kind'>,
  subjectId: string,
  result: Record<string, string | number | boolean | null> = {},
): Promise<void> {
  await deps.store.rightsRequests.complete(rt.shop.id, request.id, deps.clock.now());
  await deps.audit.record(rt.shop.id, 'rights_completed', subjectId, {
    request: request.id,
    kind: request.kind,
    ...result,
  });
}

/**
 * Runs `work` as one rights request: received, done, completed. A request whose work fails
 * stays open in the register (its deadline shows), and the error reaches the caller.
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
  const request = await openRequest(deps, rt, subjectId, kind, proof, detail);
  const out = await work(request);
  await completeRequest(deps, rt, request, subjectId);
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
