import { hashSubject } from '@vitrine/audit';
import {
  applyGpc,
  type ConsentState,
  type Decision,
  decide,
  isConsentError,
  type NoticeRef,
} from '@vitrine/consent';
import {
  type ConsentRecord,
  type ConsentRecordsResponse,
  type ConsentStateResponse,
  type ConsentUpdateRequest,
  type ConsentUpdateResponse,
  type Language,
  type NoticeResponse,
  VitrineError,
} from '@vitrine/contracts';
import { categoryStorage, noticeDialog } from '@vitrine/policy';
import type { WithdrawnScope } from '@vitrine/storage';
import type { Deps } from '../deps';
import { stateToRow } from '../runtime/rows';
import type { ShopRuntime } from '../runtime/shop-runtime';
import { subjectConsent } from './subject-consent';

function out(rt: ShopRuntime, s: ConsentState, needsReconsent: boolean): ConsentStateResponse {
  return {
    subject_id: s.subjectId,
    level: s.level,
    purposes: s.purposes,
    dpv_state: s.dpvState,
    notice_version: s.noticeVersion,
    current_notice_version: rt.notice.version,
    needs_reconsent: needsReconsent,
    gpc: s.gpc,
    paused: s.paused,
    valid_until: s.validUntil === null ? null : new Date(s.validUntil).toISOString(),
  };
}

export function noticeRef(rt: ShopRuntime, language: Language): NoticeRef {
  return {
    id: rt.notice.id,
    version: rt.notice.version,
    language,
    text_hash: rt.notice.texts[language].hash,
  };
}

/**
 * The current notice in one language: what the consent dialog shows and a choice refers to, as
 * the hashed text and as the dialog's parts (the same strings, with purpose ids, C5/C10).
 */
export function currentNotice(rt: ShopRuntime, language: Language): NoticeResponse {
  return {
    notice_id: rt.notice.id,
    version: rt.notice.version,
    language,
    text: rt.notice.texts[language].text,
    text_hash: rt.notice.texts[language].hash,
    dialog: noticeDialog(rt.policy, language),
  };
}

/**
 * What a decision's withdrawal takes away from the store (C9); undefined when nothing was
 * withdrawn. A pause (R6) keeps data, so it does not count here: only the purposes do.
 */
function withdrawnScope(rt: ShopRuntime, d: Decision): WithdrawnScope | undefined {
  if (d.record.withdrawn_purposes.length === 0) return undefined;
  const granted = (p: string) => d.state.purposes[p] === true;
  const denied: string[] = [];
  const sessionOnly: string[] = [];
  for (const category of rt.compiled.retention.keys()) {
    const s = categoryStorage(rt.compiled, category, granted);
    if (!s.allowed) denied.push(category);
    else if (s.sessionOnly) sessionOnly.push(category);
  }
  return { denied, sessionOnly };
}

/**
 * Stores a decision and applies what it takes away at once (C8, C9). The record and the
 * deletion of data held only on a withdrawn purpose commit in one transaction: either both
 * happen or neither. Then, from the committed state, a subject who no longer allows shared
 * models leaves them; should that fail, or the process stop before it, the models are rebuilt
 * from the store (here at once, at start-up in any case), which honours the committed consent.
 */
export async function applyDecision(
  deps: Deps,
  rt: ShopRuntime,
  d: Decision,
  createdAt: number | undefined,
): Promise<number> {
  const now = deps.clock.now();
  const shopId = rt.shop.id;
  const subjectId = d.state.subjectId;
  const scope = withdrawnScope(rt, d);
  const erased = await deps.store.transaction(async (tx) => {
    await tx.consent.save(stateToRow(shopId, d.state, createdAt ?? now, now), {
      shopId,
      id: d.record.id,
      subjectId,
      eventTime: now,
      record: JSON.stringify(d.record),
    });
    return scope === undefined ? 0 : tx.events.deleteWithdrawn(shopId, subjectId, scope);
  });
  const leaves = scope !== undefined && (d.state.paused || d.state.purposes.aggregate_models !== true);
  if (leaves) {
    try {
      deps.models.subjectLeft(rt, subjectId);
    } catch (err) {
      deps.log.error({ err, shopId }, 'model update after a withdrawal failed; rebuilding from the store');
      deps.models.rebuild(shopId);
    }
  }
  await auditConsent(deps, shopId, d, erased);
  return erased;
}

/**
 * The consent change in the audit log (D5), after it committed: what the proof of the record
 * (`recordProof`) points at. The record itself stays in the ledger; the entry names it and
 * what it says, under the subject's hashed id. Should the append fail, the change stands and
 * the failure is logged; the record then has no proof.
 */
async function auditConsent(deps: Deps, shopId: string, d: Decision, erased: number): Promise<void> {
  const r = d.record;
  try {
    await deps.audit.record(shopId, 'consent_change', d.state.subjectId, {
      record: r.id,
      event_type: r.event_type,
      state: r.state,
      method: r.method,
      level: r.level,
      purposes: r.purposes,
      withdrawn_purposes: r.withdrawn_purposes,
      notice: {
        id: r.notice.id,
        version: r.notice.version,
        language: r.notice.language,
        text_hash: r.notice.text_hash,
      },
      event_time: r.event_time,
      erased_events: erased,
    });
  } catch (err) {
    deps.log.error({ err, shopId }, 'audit entry of a consent change failed');
  }
}

/** The consent that holds now; a GPC signal seen with it is recorded as an objection (O1). */
export async function consentState(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  opts: { gpc: boolean } = { gpc: false },
): Promise<ConsentStateResponse> {
  const c = (await subjectConsent(deps, rt, [subjectId])).get(subjectId)!;
  if (opts.gpc) {
    // O1: a GPC signal is an objection to profiling, recorded with method `gpc`.
    const d = applyGpc({
      compiled: rt.compiled,
      notice: noticeRef(rt, 'de'),
      subjectId,
      previous: c.stored ? c.state : undefined,
      now: deps.clock.now(),
    });
    if (d) {
      await applyDecision(deps, rt, d, c.stored?.createdAt);
      return out(rt, d.state, c.needsReconsent);
    }
  }
  return out(rt, c.state, c.needsReconsent);
}

export async function updateConsent(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
  request: ConsentUpdateRequest,
  opts: { gpc: boolean },
): Promise<ConsentUpdateResponse> {
  const c = (await subjectConsent(deps, rt, [subjectId])).get(subjectId)!;
  // O3: an objection stands until the customer lifts it; no choice turns an objected purpose on.
  const objected = objectedPurposes(rt, await deps.store.objections.get(rt.shop.id, subjectId));
  const purposes = { ...request.purposes };
  for (const id of objected) purposes[id] = false;
  let d: Decision;
  try {
    d = decide({
      compiled: rt.compiled,
      notice: noticeRef(rt, request.language),
      subjectId,
      previous: c.stored ? c.state : undefined,
      now: deps.clock.now(),
      request: { ...request, purposes },
      gpc: opts.gpc,
    });
  } catch (e) {
    if (isConsentError(e)) {
      const hint =
        e.code === 'stale_notice' ? ' Show the current notice (GET /v1/notice) and ask again.' : '';
      throw new VitrineError(e.errorCode, `${e.message}.${hint}`, { field: e.field });
    }
    throw e;
  }
  const erased = await applyDecision(deps, rt, d, c.stored?.createdAt);
  return { state: out(rt, d.state, false), record: d.record, erased_events: erased };
}

/** The purposes an objection covers (O3): marketing ones for direct marketing, profiling ones for profiling. */
export function objectedPurposes(
  rt: ShopRuntime,
  o: { directMarketing: boolean; profiling: boolean } | undefined,
): Set<string> {
  const out = new Set<string>();
  if (o === undefined) return out;
  for (const [id, p] of rt.compiled.purposes) {
    if ((o.directMarketing && p.marketing) || (o.profiling && p.profiling)) out.add(id);
  }
  return out;
}

/**
 * The inclusion proof of a consent record (D5): the audit entry that names it, with its path
 * to a signed checkpoint, checkable offline with the shop's public key (README).
 */
export async function recordProof(deps: Deps, rt: ShopRuntime, subjectId: string, recordId: string) {
  const shopId = rt.shop.id;
  const records = await deps.store.consent.listRecords(shopId, subjectId);
  if (!records.some((r) => r.id === recordId)) {
    throw new VitrineError('not_found', `The subject has no consent record ${recordId}.`, {
      field: 'record_id',
    });
  }
  const entries = await deps.store.audit.listForSubject(shopId, hashSubject(shopId, subjectId));
  const entry = entries.find((e) => e.kind === 'consent_change' && e.data.record === recordId);
  if (entry === undefined) {
    throw new VitrineError(
      'not_found',
      `The audit log has no entry for ${recordId} (it was written before the log existed, or its append failed).`,
      { field: 'record_id' },
    );
  }
  const proof = await deps.audit.prove(shopId, entry.seq);
  return {
    record_id: recordId,
    subject_hash: entry.subject,
    public_key: await deps.audit.publicKey(shopId),
    proof,
  };
}

/** The subject's consent ledger, oldest first, each with the exact notice text it was given on (C10). */
export async function listRecords(
  deps: Deps,
  rt: ShopRuntime,
  subjectId: string,
): Promise<ConsentRecordsResponse> {
  const rows = await deps.store.consent.listRecords(rt.shop.id, subjectId);
  const texts = new Map<string, string | null>();
  const records = [];
  for (const row of rows) {
    const record = JSON.parse(row.record) as ConsentRecord;
    const key = `${record.notice.id}\u0000${record.notice.version}\u0000${record.notice.language}`;
    if (!texts.has(key)) {
      const n = await deps.store.notices.get(
        rt.shop.id,
        record.notice.id,
        record.notice.version,
        record.notice.language,
      );
      texts.set(key, n?.text ?? null);
    }
    records.push({ record, notice_text: texts.get(key) ?? null });
  }
  return { subject_id: subjectId, records };
}
