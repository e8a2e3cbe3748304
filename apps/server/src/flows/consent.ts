import {
  applyGpc,
  type ConsentRecord,
  type ConsentState,
  type Decision,
  decide,
  isConsentError,
  type NoticeRef,
} from '@vitrine/consent';
import { ConsentUpdateRequest, type Language, newId, SubjectId, VitrineError } from '@vitrine/contracts';
import { categoryStorage } from '@vitrine/policy';
import { assertOwnSubject } from '../http/auth';
import { fromZod } from '../http/errors';
import type { ShopRuntime } from '../shop-runtime';
import type { Vitrine } from '../vitrine';
import { stateToRow, subjectConsent } from './subject-consent';

export interface ConsentStateOut {
  subject_id: string;
  level: 0 | 1 | 2 | 3;
  purposes: Record<string, boolean>;
  dpv_state: ConsentState['dpvState'];
  notice_version: number;
  current_notice_version: number;
  needs_reconsent: boolean;
  gpc: boolean;
  paused: boolean;
  valid_until: string | null;
}

function out(rt: ShopRuntime, s: ConsentState, needsReconsent: boolean): ConsentStateOut {
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

function checkSubjectId(id: string): string {
  const r = SubjectId.safeParse(id);
  if (!r.success) throw fromZod(r.error, 'subject_id', 'subject id');
  return r.data;
}

export function noticeRef(rt: ShopRuntime, language: Language): NoticeRef {
  return {
    id: rt.notice.id,
    version: rt.notice.version,
    language,
    text_hash: rt.notice.texts[language].hash,
  };
}

/** A new pseudonymous subject and the token that binds a browser to it. Nothing is stored (D1). */
export async function createSubject(
  vitrine: Vitrine,
  rt: ShopRuntime,
): Promise<{ subject_id: string; token: string }> {
  const id = newId('subject');
  return { subject_id: id, token: await vitrine.tokens.issue(rt.shop.id, id) };
}

/**
 * Stores a decision and applies what it takes away at once (C8, C9): data held only on a
 * withdrawn purpose is deleted, and a subject who no longer allows shared models leaves them.
 */
async function persist(
  vitrine: Vitrine,
  rt: ShopRuntime,
  d: Decision,
  createdAt: number | undefined,
): Promise<number> {
  const now = vitrine.now();
  const shopId = rt.shop.id;
  await vitrine.store.saveConsent(stateToRow(shopId, d.state, createdAt ?? now, now), {
    shopId,
    id: d.record.id,
    subjectId: d.state.subjectId,
    eventTime: now,
    record: JSON.stringify(d.record),
  });
  if (d.record.withdrawn_purposes.length === 0) return 0;
  const granted = (p: string) => d.state.purposes[p] === true && !d.state.paused;
  const denied: string[] = [];
  const sessionOnly: string[] = [];
  for (const category of rt.compiled.retention.keys()) {
    const s = categoryStorage(rt.compiled, category, granted);
    if (!s.allowed) denied.push(category);
    else if (s.sessionOnly) sessionOnly.push(category);
  }
  const erased = await vitrine.store.deleteSubjectEvents(shopId, d.state.subjectId, { denied, sessionOnly });
  if (!granted('aggregate_models')) {
    rt.models.removeSubject(d.state.subjectId);
    vitrine.modelsChanged(shopId);
  }
  return erased;
}

export async function consentState(
  vitrine: Vitrine,
  rt: ShopRuntime,
  rawId: string,
  bound: string | undefined,
  opts: { gpc: boolean } = { gpc: false },
): Promise<ConsentStateOut> {
  const id = checkSubjectId(rawId);
  assertOwnSubject(bound, id, 'subject_id');
  const c = (await subjectConsent(vitrine, rt, [id])).get(id)!;
  if (opts.gpc) {
    // O1: a GPC signal is an objection to profiling, recorded with method `gpc`.
    const d = applyGpc({
      compiled: rt.compiled,
      notice: noticeRef(rt, 'de'),
      subjectId: id,
      previous: c.stored ? c.state : undefined,
      now: vitrine.now(),
    });
    if (d) {
      await persist(vitrine, rt, d, c.stored?.createdAt);
      return out(rt, d.state, c.needsReconsent);
    }
  }
  return out(rt, c.state, c.needsReconsent);
}

export async function updateConsent(
  vitrine: Vitrine,
  rt: ShopRuntime,
  rawId: string,
  body: unknown,
  opts: { bound: string | undefined; gpc: boolean },
): Promise<{ state: ConsentStateOut; record: ConsentRecord; erased_events: number }> {
  const id = checkSubjectId(rawId);
  assertOwnSubject(opts.bound, id, 'subject_id');
  const parsed = ConsentUpdateRequest.safeParse(body);
  if (!parsed.success) throw fromZod(parsed.error, '', 'consent change');
  const request = parsed.data;
  const c = (await subjectConsent(vitrine, rt, [id])).get(id)!;
  let d: Decision;
  try {
    d = decide({
      compiled: rt.compiled,
      notice: noticeRef(rt, request.language),
      subjectId: id,
      previous: c.stored ? c.state : undefined,
      now: vitrine.now(),
      request,
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
  const erased = await persist(vitrine, rt, d, c.stored?.createdAt);
  return { state: out(rt, d.state, false), record: d.record, erased_events: erased };
}

/** The subject's consent ledger, oldest first, each with the exact notice text it was given on (C10). */
export async function listRecords(
  vitrine: Vitrine,
  rt: ShopRuntime,
  rawId: string,
  bound: string | undefined,
): Promise<{ subject_id: string; records: Array<{ record: ConsentRecord; notice_text: string | null }> }> {
  const id = checkSubjectId(rawId);
  assertOwnSubject(bound, id, 'subject_id');
  const rows = await vitrine.store.listConsentRecords(rt.shop.id, id);
  const texts = new Map<string, string | null>();
  const records = [];
  for (const row of rows) {
    const record = JSON.parse(row.record) as ConsentRecord;
    const key = `${record.notice.id}\u0000${record.notice.version}\u0000${record.notice.language}`;
    if (!texts.has(key)) {
      const n = await vitrine.store.getNotice(
        rt.shop.id,
        record.notice.id,
        record.notice.version,
        record.notice.language,
      );
      texts.set(key, n?.text ?? null);
    }
    records.push({ record, notice_text: texts.get(key) ?? null });
  }
  return { subject_id: id, records };
}
