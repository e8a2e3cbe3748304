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
import { idempotencyScope } from '../idempotency-scope';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { describeFootprint, footprint, total } from './footprint';
import { auditRequest, newRequest } from './rights-requests';

const scopeOf = (shopId: string, subject: string) => idempotencyScope(shopId, { kind: 'public', subject });

type StoreCounts = Omit<ErasureRemoved, 'shared_models'> & {
  consent_records_kept: number;
  rights_requests_kept: number;
};

/**
 * What is done so far, saved in the job row with the step that did it, so that a stop midway
 * resumes where it was (at start-up, with each retention pass, or when the erasure is asked again).
 */
interface Progress {
  request?: string;
  models_before?: string;
  /** What the store step removed (the identity store included) and kept under the hash. */
  store?: StoreCounts;
  /** What the models held of the subject when the store step ran: what the models step takes out. */
  models?: { sessions: number; interactions: number };
}

/** A test may stop an erasure between two steps, as a crash or an outage would. */
export type ErasureStep = 'store' | 'models' | 'verify' | 'audit';

const WHY_CONSENT =
  'proof of consent (Art. 7(1) GDPR): kept with the subject id replaced by its hash, deleted when the record retention ends';
const WHY_REQUESTS =
  'proof that the request was answered in time (Art. 5(2), 12(3) GDPR), under the hashed id';
const WHY_AUDIT =
  'the tamper-evident log (D5) holds hashed ids only; its entries about the subject stay, so the chain stays whole';

/**
 * Erasure (R4): one resumable job. The job row is written first, with the request in the
 * register. Then one transaction takes the subject out of the store: events, sessions,
 * consent state, exclusions, objections, the identity store (its key and fields: crypto-
 * shredding), with consent records and the request register rewritten under the hashed id,
 * and the job's progress. Then the shared models in memory drop the subject exactly; a check
 * finds nothing under the subject's id anywhere (else the store step runs again); the erasure
 * goes into the audit log under a signed checkpoint; the job is marked done with its receipt.
 * Until then the answer is `pending`, never done.
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
    const request = newRequest(deps, rt, subjectId, 'erasure', proof);
    const created: ErasureRow = {
      shopId,
      id: newId('erasure'),
      subjectId,
      subjectHash: hash,
      status: 'pending',
      requestedAt: request.receivedAt,
      completedAt: null,
      attempts: 0,
      progress: JSON.stringify({ request: request.id, models_before: rt.models.digest() } satisfies Progress),
      receipt: null,
      lastError: null,
    };
    await deps.store.transaction(async (tx) => {
      await tx.rightsRequests.add(request);
      await tx.erasures.create(created);
    });
    await auditRequest(deps, request);
    job = created;
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
  const attempts = job.attempts + 1;
  const hash = job.subjectHash;
  try {
    for (let round = 0; ; round++) {
      if (progress.store === undefined || round > 0) {
        await erasureHooks.beforeStep('store');
        const share = rt.models.contribution(subjectId);
        const models = add({ sessions: share.sessions, interactions: share.interactions }, progress.models);
        const ref = { shopId, subjectId };
        const removed = await deps.store.transaction(async (tx) => {
          const events = await tx.events.eraseSubject(shopId, subjectId);
          const counts = add(
            {
              events: events.events,
              sessions: events.sessions,
              consent_state: (await tx.subjects.delete(shopId, subjectId)) ? 1 : 0,
              exclusions: await tx.exclusions.deleteForSubject(shopId, subjectId),
              objections: (await tx.objections.delete(shopId, subjectId)) ? 1 : 0,
              // Crypto-shredding: the key goes, and with it every copy of the fields anywhere.
              identity_keys: (await tx.identity.deleteKey(ref)) ? 1 : 0,
              identity_fields: await tx.identity.deleteFields(ref),
              idempotency_answers: await tx.idempotency.deleteScope(shopId, scopeOf(shopId, subjectId)),
              consent_records_kept: await tx.consent.pseudonymize(shopId, subjectId, hash),
              rights_requests_kept: await tx.rightsRequests.pseudonymize(shopId, subjectId, hash),
            },
            progress.store,
          );
          // The step and its record commit together: a resumed job never counts it twice.
          await tx.erasures.saveProgress(
            shopId,
            job.id,
            JSON.stringify({ ...progress, store: counts, models }),
            attempts,
            null,
          );
          return counts;
        });
        progress.store = removed;
        progress.models = models;
      }
      await erasureHooks.beforeStep('models');
      deps.models.subjectLeft(rt, subjectId);
      // Never done while anything under the id is left: an event stored meanwhile (a batch that
      // read the consent before it was deleted) is taken in one more round.
      await erasureHooks.beforeStep('verify');
      const left = await footprint(deps, rt, subjectId);
      if (total(left) === 0) break;
      if (round >= 2) throw new Error(`data remains after the erasure: ${describeFootprint(left)}`);
    }

    const s = progress.store!;
    const removed: ErasureRemoved = {
      events: s.events,
      sessions: s.sessions,
      consent_state: s.consent_state,
      exclusions: s.exclusions,
      objections: s.objections,
      identity_keys: s.identity_keys,
      identity_fields: s.identity_fields,
      // A job saved before this count existed resumes without it.
      idempotency_answers: s.idempotency_answers ?? 0,
      shared_models: {
        sessions: progress.models?.sessions ?? 0,
        interactions: progress.models?.interactions ?? 0,
      },
    };
    const retention = rt.policy.consent.record_retention;
    const kept: ErasureKept = {
      consent_records: { count: s.consent_records_kept, under: hash, why: WHY_CONSENT, kept_for: retention },
      rights_requests: { count: s.rights_requests_kept, under: hash, why: WHY_REQUESTS, kept_for: retention },
      audit_log: { under: hash, why: WHY_AUDIT },
    };
    const models = {
      fingerprint_before: progress.models_before ?? rt.models.digest(),
      fingerprint_after: rt.models.digest(),
    };
    // A stop between this entry and the job's completion appends it once more on resume: the
    // log then shows the attempt twice, never an erasure that did not happen.
    await erasureHooks.beforeStep('audit');
    // The erasure's entry also closes its request in the log (the request's id is in it).
    const entry = await deps.audit.record(shopId, 'erasure', subjectId, {
      erasure: job.id,
      request: progress.request ?? null,
      removed: { ...removed, shared_models: { ...removed.shared_models } },
      kept: { consent_records: kept.consent_records.count, rights_requests: kept.rights_requests.count },
      models,
    });
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
      audit_seq: entry.seq,
      proof: await deps.audit.prove(shopId, entry.seq),
    };
    await deps.store.transaction(async (tx) => {
      await tx.erasures.complete(shopId, job.id, now, JSON.stringify(receipt));
      if (progress.request !== undefined) await tx.rightsRequests.complete(shopId, progress.request, now);
    });
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
