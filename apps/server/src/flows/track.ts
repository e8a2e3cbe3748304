import { allowsEvent, type EventGate } from '@vitrine/consent';
import {
  EVENT_ENVELOPE_FIELDS,
  EVENT_FIELDS,
  EVENT_TYPES,
  EventBatch,
  type EventBatchResponse,
  type EventInput,
  EventInput as EventSchema,
  type EventType,
  type FieldIssue,
  formatPath,
  newTimeId,
  VitrineError,
} from '@vitrine/contracts';
import { sha256Hex } from '@vitrine/policy';
import type { EventRow, SessionRow } from '@vitrine/storage';
import { fromZod } from '../http/errors';
import type { ShopRuntime } from '../shop-runtime';
import type { Vitrine } from '../vitrine';
import { toInteractions } from './interactions';
import { type SubjectConsent, subjectConsent } from './subject-consent';

/** Events further in the future than this are refused: a wrong clock would otherwise keep data too long. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const KNOWN_TYPES = new Set<string>(EVENT_TYPES);
const ENVELOPE = new Set<string>(EVENT_ENVELOPE_FIELDS);

type Parsed = { index: number; event: EventInput; removed: string[] };

/** All field paths of a raw event, one level into `context`, for counting what minimisation removes. */
function presentFields(raw: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const k in raw) {
    const v = raw[k];
    if (k === 'context' && v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const ck in v) out.push(`context.${ck}`);
    } else out.push(k);
  }
  return out;
}

/** Validates a whole batch; any invalid event refuses the batch, naming every offending field. */
function parseBatch(rt: ShopRuntime, body: unknown, now: number): Parsed[] {
  const envelope = EventBatch.safeParse(body);
  if (!envelope.success) throw fromZod(envelope.error, '', 'event batch');
  const issues: FieldIssue[] = [];
  let unknownTypes = 0;
  const parsed: Parsed[] = [];
  const declared = new Map<EventType, ReadonlySet<string>>();
  const declaredFields = (type: EventType): ReadonlySet<string> => {
    let set = declared.get(type);
    if (set === undefined) {
      set = new Set((rt.compiled.events.get(type)?.fields ?? []).map((f) => f.field));
      declared.set(type, set);
    }
    return set;
  };
  envelope.data.events.forEach((raw, index) => {
    const at = `events[${index}]`;
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      issues.push({ field: at, message: 'each event must be a JSON object' });
      return;
    }
    const type = (raw as { type?: unknown }).type;
    if (typeof type !== 'string' || !KNOWN_TYPES.has(type)) {
      unknownTypes++;
      issues.push({
        field: `${at}.type`,
        message: `unknown event type ${JSON.stringify(type)}; use one of ${EVENT_TYPES.join(', ')}`,
        code: 'unknown_event_type',
      });
      return;
    }
    const r = EventSchema.safeParse(raw);
    if (!r.success) {
      for (const i of r.error.issues)
        issues.push({ field: formatPath(i.path, at), message: i.message, code: i.code });
      return;
    }
    if (r.data.ts !== undefined && Date.parse(r.data.ts) > now + MAX_CLOCK_SKEW_MS) {
      issues.push({ field: `${at}.ts`, message: 'ts lies in the future; send the time the event happened' });
      return;
    }
    const keep = declaredFields(type as EventType);
    const removed = presentFields(raw as Record<string, unknown>).filter(
      (f) => !ENVELOPE.has(f) && !keep.has(f),
    );
    parsed.push({ index, event: r.data, removed });
  });
  if (issues.length > 0) {
    const onlyTypes = unknownTypes === issues.length;
    const first = issues[0]!;
    throw new VitrineError(
      onlyTypes ? 'unknown_event_type' : 'validation_failed',
      `${issues.length} problem${issues.length > 1 ? 's' : ''} in the event batch (first: ${first.field}: ${first.message}). Nothing in this batch was stored; fix the listed fields and send it again.`,
      { field: first.field, issues: issues.slice(0, 100) },
    );
  }
  return parsed;
}

/** Keeps only the fields the policy declares and the subject's consent allows (minimisation). */
function minimise(
  e: EventInput,
  keep: readonly string[],
  kept: ReadonlySet<string>,
  removed: string[],
): Record<string, unknown> | null {
  for (const f of EVENT_FIELDS[e.type])
    if (!kept.has(f) && fieldValue(e, f) !== undefined && !removed.includes(f)) removed.push(f);
  const data: Record<string, unknown> = {};
  const context: Record<string, unknown> = {};
  for (const field of keep) {
    const v = fieldValue(e, field);
    if (v === undefined) continue;
    if (field.startsWith('context.')) context[field.slice(8)] = v;
    else if (field === 'query' || field === 'results' || field === 'currency') data[field] = v;
  }
  if (Object.keys(context).length > 0) data.context = context;
  return Object.keys(data).length > 0 ? data : null;
}

function fieldValue(e: EventInput, field: string): unknown {
  if (field.startsWith('context.'))
    return (e.context as Record<string, unknown> | undefined)?.[field.slice(8)];
  return (e as Record<string, unknown>)[field];
}

/** A stored row, built as one literal (no object spread): this runs per event on the hot path. */
function eventRow(
  shopId: string,
  e: EventInput,
  category: string,
  data: string | null,
  ts: number,
  expiresAt: number | null,
  id: string,
  itemId: string | null,
  quantity: number | null,
  price: number | null,
  orderId: string | null,
): EventRow {
  return {
    shopId,
    id,
    subjectId: e.subject_id,
    sessionId: e.session_id,
    type: e.type,
    category,
    itemId,
    quantity,
    price,
    orderId,
    data,
    ts,
    expiresAt,
    sessionScoped: expiresAt === null,
  };
}

/**
 * The consent-gated ingestion path: validate the batch, check each event against its
 * subject's current consent, minimise, set expiry, store durably, update the models.
 */
export async function track(
  vitrine: Vitrine,
  rt: ShopRuntime,
  body: unknown,
  opts: { boundSubject?: string | undefined },
): Promise<EventBatchResponse> {
  const now = vitrine.now();
  const parsed = parseBatch(rt, body, now);
  if (opts.boundSubject !== undefined) {
    for (const p of parsed) {
      if (p.event.subject_id !== opts.boundSubject) {
        throw new VitrineError(
          'forbidden',
          'The public key may only send events for its own subject; this batch names another subject. Nothing was stored.',
          { field: `events[${p.index}].subject_id` },
        );
      }
    }
  }
  const shopId = rt.shop.id;
  const subjectIds = [...new Set(parsed.map((p) => p.event.subject_id))];
  const consents = await subjectConsent(vitrine, rt, subjectIds);

  const rows: EventRow[] = [];
  const sessions = new Map<string, SessionRow>();
  const drops: EventBatchResponse['drops'] = [];
  const reasons: EventBatchResponse['dropped_reasons'] = {};
  const removedFields: Record<string, number> = {};
  const aggregateRows: EventRow[] = [];
  let accepted = 0;

  // One gate per subject and event type in a batch: the answer cannot differ within it.
  const gates = new Map<string, { gate: EventGate; declared: ReadonlySet<string> }>();
  const gateFor = (subject: string, type: EventType, consent: SubjectConsent) => {
    const key = `${subject}\u0000${type}`;
    let g = gates.get(key);
    if (g === undefined) {
      const gate = allowsEvent(consent.state, rt.compiled, type);
      g = { gate, declared: new Set(gate.allowed ? gate.fields : []) };
      gates.set(key, g);
    }
    return g;
  };

  for (const { index, event: e, removed } of parsed) {
    const consent = consents.get(e.subject_id)!;
    const { gate, declared } = gateFor(e.subject_id, e.type, consent);
    if (!gate.allowed) {
      drops.push({ index, reason: gate.reason, category: gate.category });
      reasons[gate.reason] = (reasons[gate.reason] ?? 0) + 1;
      continue;
    }
    accepted++;
    const dataOf = minimise(e, gate.fields, declared, removed);
    for (const f of removed) removedFields[f] = (removedFields[f] ?? 0) + 1;
    const ts = e.ts !== undefined ? Date.parse(e.ts) : now;
    const expiresAt = gate.retentionMs === null ? null : ts + gate.retentionMs;
    const baseId =
      e.id !== undefined
        ? `evt_${sha256Hex(`${shopId}\u0000${e.id}`).slice(0, 24)}`
        : newTimeId('event', now);
    const data = dataOf === null ? null : JSON.stringify(dataOf);
    const row = (
      id: string,
      itemId: string | null,
      quantity: number | null,
      price: number | null,
      orderId: string | null,
    ) => eventRow(shopId, e, gate.category, data, ts, expiresAt, id, itemId, quantity, price, orderId);
    const eventRows: EventRow[] = [];
    if (e.type === 'purchase') {
      const orderId = declared.has('order_id') ? e.order_id : null;
      if (declared.has('lines')) {
        for (let i = 0; i < e.lines.length; i++) {
          const l = e.lines[i]!;
          eventRows.push(row(`${baseId}.${i}`, l.item_id, l.quantity, l.price, orderId));
        }
      } else eventRows.push(row(baseId, null, null, null, orderId));
    } else {
      const itemId = 'item_id' in e && declared.has('item_id') ? e.item_id : null;
      const quantity = 'quantity' in e && declared.has('quantity') ? e.quantity : null;
      eventRows.push(row(baseId, itemId, quantity, null, null));
    }
    for (const r of eventRows) {
      rows.push(r);
      if (consent.aggregate) aggregateRows.push(r);
    }
    const sessionKey = `${e.subject_id}\u0000${e.session_id}`;
    const s = sessions.get(sessionKey);
    if (!s || s.lastSeen < ts)
      sessions.set(sessionKey, { shopId, id: e.session_id, subjectId: e.subject_id, lastSeen: ts });
  }

  const inserted = rows.length > 0 ? await vitrine.store.insertEvents(rows, [...sessions.values()]) : 0;
  const duplicates = rows.length - inserted;
  if (duplicates > 0) reasons.duplicate = duplicates;
  // Real-time: the shared models learn from the new events at once. A batch that repeated
  // stored events cannot tell which rows were new, so the models are rebuilt instead, and
  // every event counts exactly once.
  if (aggregateRows.length > 0) {
    if (duplicates === 0) {
      rt.models.add(toInteractions(aggregateRows));
      vitrine.modelsChanged(shopId);
    } else vitrine.scheduleRebuild(shopId);
  }
  const notes: string[] = [];
  if (reasons.no_consent)
    notes.push(
      `${reasons.no_consent} event(s) not stored: their subject has not allowed that data (level 0 or the purpose is off). Record the customer's choice first with PUT /v1/subjects/{id}/consent.`,
    );
  if (reasons.paused)
    notes.push(`${reasons.paused} event(s) not stored: the customer has paused personalization.`);
  if (reasons.duplicate)
    notes.push(`${reasons.duplicate} row(s) were already stored under the same event id.`);
  return {
    ...(notes.length > 0 ? { note: notes.join(' ') } : {}),
    accepted: accepted,
    dropped: drops.length,
    dropped_reasons: reasons,
    drops: drops.slice(0, 1000),
    removed_fields: removedFields,
  };
}
