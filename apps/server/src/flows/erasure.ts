import { hashSubject } from '@vitrine/audit';
import {
  type ErasureKept,
  type ErasureReceipt,
  type ErasureRemoved,
  type ErasureResponse,
  newId,
} from '@vitrine/contracts';
import type { ErasureRow, RightsRequestProof } from '@vitrine/storage';
import type { Deps } from '../deps';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { describeFootprint, footprint, total } from './footprint';
import { completeRequest, openRequest } from './rights-requests';

/**
 * The steps done so far, saved in the job row after each one, so that a stop midway resumes
 * where it was (at start-up, with each retention pass, or when the erasure is asked again).
 */
interface Progress {
  request?: string;
  models_before?: string;
  store?: Omit<ErasureRemoved, 'identity_keys' | 'identity_fields' | 'shared_models'> & {
    consent_records_kept: number;
    rights_requests_kept: number;
  };
  identity?: { identity_keys: number; identity_fields: number };
  models?: { sessions: number; interactions: number; fingerprint_after: string };
  audit_seq?: number;
}

/** A test may stop an erasure between two steps, as a crash or an outage would. */
export type ErasureStep = 'store' | 'identity' | 'models' | 'verify' | 'audit';

const WHY_CONSENT =
  'proof of consent (Art. 7(1) GDPR): kept with the subject id replaced by its hash, deleted when the record retention ends';
const WHY_REQUESTS =
  'proof that the request was answered in time (Art. 5(2), 12(3) GDPR), under the hashed id';
const WHY_AUDIT =
  'the tamper-evident log (D5) holds hashed ids only; its entries about the subject stay, so the chain stays whole';

/**
 * Erasure (R4): one resumable job. The job row is written first; then, each step saved as it
 * completes: the store (events, sessions, consent state, exclusions, objections; consent
 * records and the request register rewritten under the hashed id), the identity store
 * (the key destroyed first, then the fields), the shared models in memory (exact removal),
 * a check that nothing under the subject's id is left anywhere, the audit entry. Only then is
 * the job marked done and the receipt returned; until then the answer says `pending`.
 *
 * Asked again for a subject whose erasure completed and of whom nothing is held, it answers
 * with the same receipt (idempotent). Should the subject have come back since (the id used
 * again), a new erasure runs.
 */
export async function eraseSubject(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  proof: RightsRequestProof,
): Promise<ErasureResponse> {
  const shopId = rt.shop.id;
  const hash = hashSubject(shopId, subjectId);
  const earlier = await deps.store.erasures.findBySubject(shopId, hash);
  let job = earlier.find((e) => e.status === 'pending');
  if (job === undefined) {
    const done = earlier.find((e) => e.status === 'completed');
    if (done?.receipt && total(await footprint(deps, rt, subjectId)) === 0) {
      return {
        status: 'completed',
        erasure_id: done.id,
        subject_id: subjectId,
        receipt: JSON.parse(done.receipt) as ErasureReceipt,
      };
    }
    const now = deps.clock.now();
    const request = await openRequest(deps, rt, subjectId, 'erasure', proof);
    job = {
      shopId,
      id: newId('erasure'),
      subjectId,
      subjectHash: hash,
      status: 'pending',
      requestedAt: now,
      completedAt: null,
      attempts: 0,
      progress: JSON.stringify({ request: request.id } satisfies Progress),
      receipt: null,
      lastError: null,
    };
    await deps.store.erasures.create(job);
  }
  return runErasure(deps, rt, job);
}

/** Completes every pending erasure of every shop (start-up, retention passes). */
export async function resumeErasures(
  deps: Deps,
  shop: (shopId: string) => Promise<ShopRuntime>,
): Promise<number> {
  let completed = 0;
  for (const job of await deps.store.erasures.listPending()) {
    const out = await runErasure(deps, await shop(job.shopId), job);
    if (out.status === 'completed') completed++;
  }
  return completed;
}

/** For tests: called before each step; throwing stops the erasure there, as a crash would. */
export const erasureHooks: { beforeStep: (step: ErasureStep) => void | Promise<void> } = {
  beforeStep: () => {},
};

async function runErasure(deps: Deps, rt: ShopRuntime, job: ErasureRow): Promise<ErasureResponse> {
  const shopId = rt.shop.id;
  const subjectId = job.subjectId;
  if (subjectId === null) throw new Error(`erasure ${job.id} is pending without a subject id`);
  const progress = JSON.parse(job.progress) as Progress;
  let attempts = job.attempts;
  const save = () =>
    deps.store.erasures.saveProgress(shopId, job.id, JSON.stringify(progress), attempts, null);
  const hash = job.subjectHash;
  try {
    attempts++;
    if (progress.models_before === undefined) {
      progress.models_before = rt.models.digest();
      await save();
    }
    for (let round = 0; ; round++) {
      if (progress.store === undefined || round > 0) {
        await erasureHooks.beforeStep('store');
        const prior = progress.store;
        progress.store = await deps.store.transaction(async (tx) => {
          const events = await tx.events.eraseSubject(shopId, subjectId);
          const removed = add(
            {
              events: events.events,
              sessions: events.sessions,
              consent_state: (await tx.subjects.delete(shopId, subjectId)) ? 1 : 0,
              exclusions: await tx.exclusions.deleteForSubject(shopId, subjectId),
              objections: (await tx.objections.delete(shopId, subjectId)) ? 1 : 0,
              consent_records_kept: await tx.consent.pseudonymize(shopId, subjectId, hash),
              rights_requests_kept: await tx.rightsRequests.pseudonymize(shopId, subjectId, hash),
            },
            prior,
          );
          // The step and its record commit together: a resumed job never counts it twice.
          await tx.erasures.saveProgress(
            shopId,
            job.id,
            JSON.stringify({ ...progress, store: removed }),
            attempts,
            null,
          );
          return removed;
        });
      }
      if (progress.identity === undefined || round > 0) {
        await erasureHooks.beforeStep('identity');
        // Crypto-shredding: the key goes first, so the fields are unreadable even if their delete fails.
        const ref = { shopId, subjectId };
        const key = await deps.store.identity.deleteKey(ref);
        const fields = await deps.store.identity.deleteFields(ref);
        progress.identity = add({ identity_keys: key ? 1 : 0, identity_fields: fields }, progress.identity);
        await save();
      }
      await erasureHooks.beforeStep('models');
      const share = rt.models.contribution(subjectId);
      deps.models.subjectLeft(rt, subjectId);
      progress.models = {
        sessions: (progress.models?.sessions ?? 0) + share.sessions,
        interactions: (progress.models?.interactions ?? 0) + share.interactions,
        fingerprint_after: rt.models.digest(),
      };
      await save();
      // Never done while anything under the id is left: an event stored meanwhile (a batch that
      // read the consent before it was deleted) is taken in one more round.
      await erasureHooks.beforeStep('verify');
      const left = await footprint(deps, rt, subjectId);
      if (total(left) === 0) break;
      if (round >= 2) throw new Error(`data remains after the erasure: ${describeFootprint(left)}`);
    }

    const removed: ErasureRemoved = {
      events: progress.store!.events,
      sessions: progress.store!.sessions,
      consent_state: progress.store!.consent_state,
      exclusions: progress.store!.exclusions,
      objections: progress.store!.objections,
      identity_keys: progress.identity!.identity_keys,
      identity_fields: progress.identity!.identity_fields,
      shared_models: { sessions: progress.models!.sessions, interactions: progress.models!.interactions },
    };
    const retention = rt.policy.consent.record_retention;
    const kept: ErasureKept = {
      consent_records: {
        count: progress.store!.consent_records_kept,
        under: hash,
        why: WHY_CONSENT,
        kept_for: retention,
      },
      rights_requests: {
        count: progress.store!.rights_requests_kept,
        under: hash,
        why: WHY_REQUESTS,
        kept_for: retention,
      },
      audit_log: { under: hash, why: WHY_AUDIT },
    };
    const models = {
      fingerprint_before: progress.models_before,
      fingerprint_after: progress.models!.fingerprint_after,
    };
    if (progress.audit_seq === undefined) {
      await erasureHooks.beforeStep('audit');
      const entry = await deps.audit.record(shopId, 'erasure', subjectId, {
        erasure: job.id,
        removed: { ...removed, shared_models: { ...removed.shared_models } },
        kept: { consent_records: kept.consent_records.count, rights_requests: kept.rights_requests.count },
        models,
      });
      progress.audit_seq = entry.seq;
      await save();
    }
    const now = deps.clock.now();
    const receipt: ErasureReceipt = {
      format: 'vitrine-erasure-receipt/1',
      erasure_id: job.id,
      shop_id: shopId,
      subject: hash,
      requested: new Date(job.requestedAt).toISOString(),
      completed: new Date(now).toISOString(),
      duration_ms: now - job.requestedAt,
      removed,
      kept,
      models,
      audit_seq: progress.audit_seq,
      proof: await deps.audit.prove(shopId, progress.audit_seq),
    };
    await deps.store.erasures.complete(shopId, job.id, now, JSON.stringify(receipt));
    if (progress.request !== undefined) {
      await completeRequest(deps, rt, { id: progress.request, kind: 'erasure' }, subjectId, {
        erasure: job.id,
      });
    }
    return { status: 'completed', erasure_id: job.id, subject_id: subjectId, receipt };
  } catch (err) {
    const message = (err as Error).message;
    deps.log.error(
      { err, shopId, erasure: job.id },
      'erasure stopped; it resumes at start-up or when asked again',
    );
    await deps.store.erasures
      .saveProgress(shopId, job.id, JSON.stringify(progress), attempts, message.slice(0, 500))
      .catch(() => undefined);
    return {
      status: 'pending',
      erasure_id: job.id,
      subject_id: subjectId,
      message:
        'The erasure is recorded and under way, but not complete yet. It resumes at the next start and every retention pass; asking again resumes it now.',
    };
  }
}

/** Counts of two rounds of the store step, added (a second round takes what a late write left). */
function add<T extends Record<string, number>>(a: T, b: T | undefined): T {
  if (b === undefined) return a;
  const out = { ...a };
  for (const k of Object.keys(a) as (keyof T)[]) out[k] = ((a[k] as number) + (b[k] as number)) as T[keyof T];
  return out;
}
