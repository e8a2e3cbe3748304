import { initialState, withdrawPurposes } from '@vitrine/consent';
import type { ObjectionRequest, ObjectionResponse, RestrictionResponse } from '@vitrine/contracts';
import type { RightsRequestProof } from '@vitrine/storage';
import type { Deps } from '../deps';
import { rowToState, stateToRow, toInteractions } from '../runtime/rows';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { applyDecision, noticeRef, objectedPurposes } from './consent';
import { asRequest } from './rights-requests';
import { subjectConsent } from './subject-consent';

/**
 * Restriction (R6): a pause keeps the data but stops personalization at once: ingest stores
 * nothing new, recommendations and predictions use nothing personal, and the subject's data
 * leaves the shared models. Resuming brings their stored events back into the models exactly.
 */
export async function setRestriction(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  paused: boolean,
  proof: RightsRequestProof,
): Promise<RestrictionResponse> {
  return asRequest(
    deps,
    rt,
    subjectId,
    'restriction',
    proof,
    async (request) => {
      const shopId = rt.shop.id;
      const now = deps.clock.now();
      const before = (await subjectConsent(deps, rt, [subjectId])).get(subjectId)!;
      const state = before.stored ? rowToState(before.stored) : initialState(subjectId);
      await deps.store.subjects.setPaused(
        stateToRow(shopId, { ...state, paused }, before.stored?.createdAt ?? now, now),
      );
      const after = (await subjectConsent(deps, rt, [subjectId])).get(subjectId)!;
      try {
        if (!after.aggregate) deps.models.subjectLeft(rt, subjectId);
        else if (!before.aggregate) {
          const events = await deps.store.events.listForSubject(shopId, subjectId);
          deps.models.subjectReturned(rt, subjectId, toInteractions(events));
        }
      } catch (err) {
        deps.log.error({ err, shopId }, 'model update after a pause failed; rebuilding from the store');
        deps.models.rebuild(shopId);
      }
      return { subject_id: subjectId, paused, request_id: request.id };
    },
    { paused },
  );
}

/**
 * Objection (O3, Art. 21(2)–(4)): to direct marketing, and to the profiling behind it. It is
 * absolute: the purposes it covers are withdrawn at once (recorded in the consent ledger,
 * their data deleted as on any withdrawal, C9), and no later choice turns them on while the
 * objection stands. Lifting it turns nothing on by itself: the customer chooses again.
 */
export async function setObjection(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  body: ObjectionRequest,
  proof: RightsRequestProof,
): Promise<ObjectionResponse> {
  return asRequest(
    deps,
    rt,
    subjectId,
    'objection',
    proof,
    async (request) => {
      const shopId = rt.shop.id;
      const now = deps.clock.now();
      await deps.store.objections.put({
        shopId,
        subjectId,
        directMarketing: body.direct_marketing,
        profiling: body.profiling,
        updatedAt: now,
      });
      const covered = objectedPurposes(rt, {
        directMarketing: body.direct_marketing,
        profiling: body.profiling,
      });
      const c = (await subjectConsent(deps, rt, [subjectId])).get(subjectId)!;
      const d = c.stored
        ? withdrawPurposes(
            { compiled: rt.compiled, notice: noticeRef(rt, 'de'), subjectId, previous: c.state, now },
            covered,
          )
        : null;
      const erased = d === null ? 0 : await applyDecision(deps, rt, d, c.stored?.createdAt);
      return {
        subject_id: subjectId,
        objection: { direct_marketing: body.direct_marketing, profiling: body.profiling },
        withdrawn_purposes: d?.record.withdrawn_purposes ?? [],
        erased_events: erased,
        request_id: request.id,
      };
    },
    { direct_marketing: body.direct_marketing, profiling: body.profiling },
  );
}
